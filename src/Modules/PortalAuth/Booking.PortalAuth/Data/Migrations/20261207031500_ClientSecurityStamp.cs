using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClientSecurityStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Raised whenever the client's sessions end because the account was secured; an email-change link carries it
            // (decision 328). Every client starts at 0, the stamp a link made before this reads as, so links already sent
            // keep working until the next such change. No data to move: the default fills existing rows.
            migrationBuilder.AddColumn<int>(
                name: "security_stamp",
                schema: "portalauth",
                table: "clients",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "security_stamp",
                schema: "portalauth",
                table: "clients");
        }
    }
}
