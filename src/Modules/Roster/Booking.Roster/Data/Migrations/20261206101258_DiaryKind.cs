using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Roster.Data.Migrations
{
    /// <inheritdoc />
    public partial class DiaryKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every diary so far was read as a person's: existing rows are persons (decision 280).
            migrationBuilder.AddColumn<string>(
                name: "kind",
                schema: "roster",
                table: "diaries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "person");

            migrationBuilder.AddCheckConstraint(
                name: "ck_diaries_kind",
                schema: "roster",
                table: "diaries",
                sql: "kind IN ('person', 'resource')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_diaries_kind",
                schema: "roster",
                table: "diaries");

            migrationBuilder.DropColumn(
                name: "kind",
                schema: "roster",
                table: "diaries");
        }
    }
}
