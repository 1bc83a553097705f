"""Trust: PIN failures kept per registration (enrolled or not), verifications the API recorded itself,
demo rows marked, staff tokens that expire.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registration_attempts',
    sa.Column('registration_body', sa.String(length=8), nullable=False),
    sa.Column('registration_number', sa.String(length=16), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('registration_body', 'registration_number')
    )
    op.create_table('verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('conversation_id', sa.String(length=200), nullable=False),
    sa.Column('referrer_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.ForeignKeyConstraint(['referrer_id'], ['referrers.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_sha256')
    )
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verifications_conversation_id'), ['conversation_id'], unique=False)

    with op.batch_alter_table('referrers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demo', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_column('failed_attempts')
        batch_op.drop_column('locked_until')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demo', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demo', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_referrals_verification_id', 'verifications', ['verification_id'], ['id'])

    # Tokens issued before expiry existed end now: a token that never expires is what this revision removes.
    with op.batch_alter_table('staff_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE staff_tokens SET expires_at = created_at"))
    with op.batch_alter_table('staff_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    # The server defaults only filled the existing rows; the models set the value from here on.
    for table in ('referrers', 'clients', 'staff_users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('demo', existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('staff_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_constraint('fk_referrals_verification_id', type_='foreignkey')
        batch_op.drop_column('verification_id')
    for table in ('staff_users', 'clients'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('demo')
    with op.batch_alter_table('referrers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_column('demo')
    with op.batch_alter_table('verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verifications_conversation_id'))
    op.drop_table('verifications')
    op.drop_table('registration_attempts')
