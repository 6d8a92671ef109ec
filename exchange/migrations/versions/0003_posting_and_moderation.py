"""posting and moderation: first publication, review note, NDA text, expiry warning, attachment visibility and thumbnail, pending suggestion refreshes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 03:02:34.447849
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('suggestion_refresh',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_suggestion_refresh_listing_id_listing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_suggestion_refresh'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sa.Enum('public', 'after_contact', name='attachmentvisibility', native_enum=False, create_constraint=True, length=32), nullable=False, server_default='public'))
        batch_op.add_column(sa.Column('thumbnail_name', sa.String(length=100), nullable=True))

    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('nda_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('expiry_warned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_listing_expires_at'), ['expires_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_listing_reviewed_by_id_user_account'), 'user_account', ['reviewed_by_id'], ['id'])

    # Listings published before this revision were first published when they were last published.
    op.execute("UPDATE listing SET first_published_at = published_at WHERE published_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_listing_reviewed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_listing_expires_at'))
        batch_op.drop_column('expiry_warned_at')
        batch_op.drop_column('nda_text')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('review_note')
        batch_op.drop_column('first_published_at')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attachment_attachmentvisibility'), type_='check')
        batch_op.drop_column('thumbnail_name')
        batch_op.drop_column('visibility')

    op.drop_table('suggestion_refresh')
