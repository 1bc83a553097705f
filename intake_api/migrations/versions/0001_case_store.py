"""The case store: referrer directory, returning clients, referrals, declined contacts, staff, audit log.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 22:22:28.571877
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nhs_number', sa.String(length=10), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nhs_number')
    )
    op.create_table('declined_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=True),
    sa.Column('borough_code', sa.String(length=9), nullable=True),
    sa.Column('conversation_id', sa.String(length=200), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('declined_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declined_contacts_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_declined_contacts_reason'), ['reason'], unique=False)

    op.create_table('referrers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_body', sa.String(length=8), nullable=False),
    sa.Column('registration_number', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('profession', sa.String(length=40), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('ods_code', sa.String(length=12), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('registration_body', 'registration_number')
    )
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('ended', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('conversation_id', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('out_of_hours', sa.Boolean(), nullable=False),
    sa.Column('referrer_kind', sa.String(length=30), nullable=False),
    sa.Column('referrer_id', sa.Integer(), nullable=True),
    sa.Column('referrer_name', sa.String(length=200), nullable=True),
    sa.Column('referrer_profession', sa.String(length=40), nullable=True),
    sa.Column('referrer_registration_body', sa.String(length=8), nullable=True),
    sa.Column('referrer_registration_number', sa.String(length=16), nullable=True),
    sa.Column('referrer_organisation', sa.String(length=200), nullable=True),
    sa.Column('referrer_relationship', sa.String(length=40), nullable=True),
    sa.Column('referrer_phone', sa.String(length=20), nullable=True),
    sa.Column('patient_given_name', sa.String(length=100), nullable=True),
    sa.Column('patient_family_name', sa.String(length=100), nullable=True),
    sa.Column('patient_date_of_birth', sa.Date(), nullable=True),
    sa.Column('patient_nhs_number', sa.String(length=10), nullable=True),
    sa.Column('patient_address_line', sa.String(length=300), nullable=True),
    sa.Column('patient_postcode', sa.String(length=10), nullable=True),
    sa.Column('patient_phone', sa.String(length=20), nullable=True),
    sa.Column('patient_lives_alone', sa.Boolean(), nullable=True),
    sa.Column('borough_code', sa.String(length=9), nullable=True),
    sa.Column('borough_name', sa.String(length=100), nullable=True),
    sa.Column('routing_contacts', sa.JSON(), nullable=False),
    sa.Column('consent', sa.String(length=20), nullable=True),
    sa.Column('setting', sa.String(length=20), nullable=True),
    sa.Column('expected_discharge_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('difficulties', sa.JSON(), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('risks', sa.JSON(), nullable=False),
    sa.Column('mental_health_crisis', sa.Boolean(), nullable=True),
    sa.Column('urgency', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['referrer_id'], ['referrers.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_borough_code'), ['borough_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_service'), ['service'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_status'), ['status'], unique=False)

    op.create_table('staff_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_sha256')
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('referrer_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], ),
    sa.ForeignKeyConstraint(['referrer_id'], ['referrers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_referral_id'), ['referral_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_referral_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('staff_tokens')
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referrals_status'))
        batch_op.drop_index(batch_op.f('ix_referrals_service'))
        batch_op.drop_index(batch_op.f('ix_referrals_received_at'))
        batch_op.drop_index(batch_op.f('ix_referrals_conversation_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_channel'))
        batch_op.drop_index(batch_op.f('ix_referrals_borough_code'))

    op.drop_table('referrals')
    op.drop_table('episodes')
    op.drop_table('staff_users')
    op.drop_table('referrers')
    with op.batch_alter_table('declined_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declined_contacts_reason'))
        batch_op.drop_index(batch_op.f('ix_declined_contacts_at'))

    op.drop_table('declined_contacts')
    op.drop_table('clients')
