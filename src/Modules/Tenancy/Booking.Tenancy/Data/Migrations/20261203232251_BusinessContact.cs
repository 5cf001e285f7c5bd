using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <inheritdoc />
    public partial class BusinessContact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "contact_email",
                schema: "tenancy",
                table: "portal_settings",
                type: "character varying(254)",
                maxLength: 254,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "contact_phone",
                schema: "tenancy",
                table: "portal_settings",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "contact_email",
                schema: "tenancy",
                table: "portal_settings");

            migrationBuilder.DropColumn(
                name: "contact_phone",
                schema: "tenancy",
                table: "portal_settings");
        }
    }
}
