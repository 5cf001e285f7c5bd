using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class StaffWhoAndStaffNote : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "booked_by_staff_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "cancelled_by_staff_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "staff_note",
                schema: "appointments",
                table: "appointments",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "staff_note_updated_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "staff_note_updated_by_staff_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "booked_by_staff_id",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "cancelled_by_staff_id",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "staff_note",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "staff_note_updated_at",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "staff_note_updated_by_staff_id",
                schema: "appointments",
                table: "appointments");
        }
    }
}
