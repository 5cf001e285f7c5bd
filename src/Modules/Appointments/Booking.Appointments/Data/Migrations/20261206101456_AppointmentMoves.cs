using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class AppointmentMoves : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "move_count",
                schema: "appointments",
                table: "appointments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Instant>(
                name: "moved_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "moved_by",
                schema: "appointments",
                table: "appointments",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "moved_by_staff_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "moved_from_diary_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "moved_from_start_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "move_count",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "moved_at",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "moved_by",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "moved_by_staff_id",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "moved_from_diary_id",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "moved_from_start_at",
                schema: "appointments",
                table: "appointments");
        }
    }
}
