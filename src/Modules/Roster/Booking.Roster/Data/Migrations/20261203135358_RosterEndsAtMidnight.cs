using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Roster.Data.Migrations
{
    /// <inheritdoc />
    public partial class RosterEndsAtMidnight : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The columns stay `time`, which holds 24:00:00: existing rows keep their meaning and an end may now be midnight.
            // The check says in the database what the API has always required.
            migrationBuilder.AddCheckConstraint(
                name: "ck_roster_blocks_times",
                schema: "roster",
                table: "roster_blocks",
                sql: "start < '24:00' AND \"end\" > start AND \"end\" <= '24:00'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_roster_blocks_times",
                schema: "roster",
                table: "roster_blocks");
        }
    }
}
