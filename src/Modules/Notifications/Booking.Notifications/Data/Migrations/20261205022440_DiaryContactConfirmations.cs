using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// Diary contact emails are mailed only once their person confirms them, as extra addresses are (decision 176).
    /// The contacts diaries had already saved count as confirmed: they were getting the business's emails, and stopping
    /// them without a word would silently lose live businesses' booking requests. An address the business already has a
    /// row for keeps it, except that a waiting one is now confirmed (it was receiving these emails as the contact); a
    /// declined one stays declined. Roster migrates before Notifications, so <c>roster.diaries</c> is there; forced
    /// row-level security hides every tenant's rows from the owner that migrates, so that table is unforced for the
    /// read and forced again in the migration's transaction.
    /// </summary>
    public partial class DiaryContactConfirmations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "for_diary_contact",
                schema: "notifications",
                table: "address_confirmations",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("""
                DO $contacts$
                BEGIN
                    IF to_regclass('roster.diaries') IS NOT NULL THEN
                        ALTER TABLE roster.diaries NO FORCE ROW LEVEL SECURITY;
                        ALTER TABLE notifications.address_confirmations NO FORCE ROW LEVEL SECURITY;
                        INSERT INTO notifications.address_confirmations (tenant_id, address, added_at, confirmed_at, for_diary_contact)
                        SELECT DISTINCT d.tenant_id, lower(btrim(d.contact_email)), now(), now(), true
                          FROM roster.diaries d
                         WHERE btrim(d.contact_email) <> '' AND length(btrim(d.contact_email)) <= 254
                        ON CONFLICT (tenant_id, address) DO UPDATE
                           SET confirmed_at = coalesce(notifications.address_confirmations.confirmed_at, now()),
                               token_hash = NULL, token_expires_at = NULL
                         WHERE notifications.address_confirmations.declined_at IS NULL
                           AND notifications.address_confirmations.confirmed_at IS NULL;
                        ALTER TABLE notifications.address_confirmations FORCE ROW LEVEL SECURITY;
                        ALTER TABLE roster.diaries FORCE ROW LEVEL SECURITY;
                    END IF;
                END
                $contacts$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "for_diary_contact",
                schema: "notifications",
                table: "address_confirmations");
        }
    }
}
