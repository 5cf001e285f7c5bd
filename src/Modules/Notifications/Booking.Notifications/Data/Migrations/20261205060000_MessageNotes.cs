using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// A message's `note`: why it went where it went, or why it was not sent (status `withheld`: the diary contact has
    /// not confirmed its address and no confirmed address stands in; an owner's or admin's sign-in email is not proven).
    /// </summary>
    [DbContext(typeof(NotificationsDbContext))]
    [Migration("20261205060000_MessageNotes")]
    public partial class MessageNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "note",
                schema: "notifications",
                table: "outbound_messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "note",
                schema: "notifications",
                table: "outbound_messages");
        }
    }
}
