using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// One-click unsubscribe from the business's notification emails: an address's `unsubscribed_at` (its person used
    /// the link; `confirmed_at` is cleared with it), and a message's `unsubscribe_token_hash` (SHA-256 of the token its
    /// email's link carries, made when it is sent), unique per business where set.
    /// </summary>
    [DbContext(typeof(NotificationsDbContext))]
    [Migration("20261205120000_Unsubscribe")]
    public partial class Unsubscribe : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "unsubscribed_at",
                schema: "notifications",
                table: "address_confirmations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "unsubscribe_token_hash",
                schema: "notifications",
                table: "outbound_messages",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ux_outbound_messages_unsubscribe_token",
                schema: "notifications",
                table: "outbound_messages",
                columns: new[] { "tenant_id", "unsubscribe_token_hash" },
                unique: true,
                filter: "unsubscribe_token_hash IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_outbound_messages_unsubscribe_token",
                schema: "notifications",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "unsubscribe_token_hash",
                schema: "notifications",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "unsubscribed_at",
                schema: "notifications",
                table: "address_confirmations");
        }
    }
}
