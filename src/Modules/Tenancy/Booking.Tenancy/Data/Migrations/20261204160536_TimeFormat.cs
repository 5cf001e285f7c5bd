using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <inheritdoc />
    public partial class TimeFormat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "time_format",
                schema: "tenancy",
                table: "portal_settings",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_portal_settings_time_format",
                schema: "tenancy",
                table: "portal_settings",
                sql: "time_format IN ('12h', '24h')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_portal_settings_time_format",
                schema: "tenancy",
                table: "portal_settings");

            migrationBuilder.DropColumn(
                name: "time_format",
                schema: "tenancy",
                table: "portal_settings");
        }
    }
}
