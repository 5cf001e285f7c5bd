using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class RequestDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Instant>(
                name: "cancellation_decided_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "cancellation_decided_by_staff_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "request_decided_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "request_decided_by_staff_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cancellation_decided_at",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "cancellation_decided_by_staff_id",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "request_decided_at",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "request_decided_by_staff_id",
                schema: "appointments",
                table: "appointments");
        }
    }
}
