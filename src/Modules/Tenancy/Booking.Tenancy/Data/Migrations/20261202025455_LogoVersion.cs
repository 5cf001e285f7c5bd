using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <inheritdoc />
    public partial class LogoVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "logo_version",
                schema: "tenancy",
                table: "portal_settings",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "logo_version",
                schema: "tenancy",
                table: "portal_settings");
        }
    }
}
