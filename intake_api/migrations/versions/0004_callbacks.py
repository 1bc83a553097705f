"""Call-backs: requests to be called back made by telephone out of hours, and the call-back state of incomplete
intakes (attempts, due time, outcome) for the staff's worklist.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 18:07:04
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('callback_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=False),
    sa.Column('service_file', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_sid')
    )
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_requests_requested_at'), ['requested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_requests_status'), ['status'], unique=False)

    op.create_table('intake_callbacks',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], ),
    sa.PrimaryKeyConstraint('referral_id')
    )
    with op.batch_alter_table('intake_callbacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_callbacks_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('intake_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_callbacks_status'))

    op.drop_table('intake_callbacks')
    with op.batch_alter_table('callback_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_requests_status'))
        batch_op.drop_index(batch_op.f('ix_callback_requests_requested_at'))

    op.drop_table('callback_requests')
