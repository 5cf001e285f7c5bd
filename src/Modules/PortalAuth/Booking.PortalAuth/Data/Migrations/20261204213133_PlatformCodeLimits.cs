using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// <c>code_budget</c>: codes sent per clock hour by the whole platform (no tenant_id, so no row-level security:
    /// one budget no business can see around). Code sends from before this counted IPv6 clients by their full address;
    /// they leave the hourly window within the hour, and the caps count /64s from then on.
    /// </summary>
    public partial class PlatformCodeLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "code_budget",
                schema: "portalauth",
                columns: table => new
                {
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_code_budget", x => x.hour);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "code_budget",
                schema: "portalauth");
        }
    }
}
