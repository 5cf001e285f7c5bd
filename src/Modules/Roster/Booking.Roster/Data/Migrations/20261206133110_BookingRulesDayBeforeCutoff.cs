using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Roster.Data.Migrations
{
    /// <inheritdoc />
    public partial class BookingRulesDayBeforeCutoff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<TimeOnly>(
                name: "day_before_cutoff",
                schema: "roster",
                table: "booking_rules",
                type: "time without time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "day_before_cutoff",
                schema: "roster",
                table: "booking_rules");
        }
    }
}
