using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <inheritdoc />
    public partial class TextsPermanent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "permanent",
                schema: "portalauth",
                table: "texts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Existing rows, derived once from what they say (decision 348): a code's text whose note is the refused-for-good
            // sentence (TextLog.CodeRefusedForGood as it was), and an event's text given up before its eighth try, which only
            // a non-transient carrier refusal did. Their notes take the words a refusal for good is now given.
            migrationBuilder.Sql("ALTER TABLE portalauth.texts NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                UPDATE portalauth.texts SET permanent = true
                 WHERE status = 'failed' AND event_id IS NULL
                   AND note = 'Not sent: the carrier refused this number. A new code to it would fail the same way; check the number with the client.';
                UPDATE portalauth.texts
                   SET permanent = true,
                       note = 'Not sent: the carrier refused this number. Sending it again would fail the same way; check the number with the client.'
                 WHERE status = 'failed' AND event_id IS NOT NULL AND attempts < 8;
                """);
            migrationBuilder.Sql("ALTER TABLE portalauth.texts FORCE ROW LEVEL SECURITY;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "permanent",
                schema: "portalauth",
                table: "texts");
        }
    }
}
