using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// An Idempotency-Key records which request holds it (<c>claim</c>) and the appointment its booking saved
    /// (<c>appointment_id</c>, written in the booking's transaction), so a key whose request died mid-way is
    /// answered from its booking or taken over (decision 61). Keys claimed before this migration get the empty claim.
    /// </summary>
    public partial class IdempotencyKeyClaim : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "appointment_id",
                schema: "appointments",
                table: "idempotency_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "claim",
                schema: "appointments",
                table: "idempotency_keys",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "appointment_id",
                schema: "appointments",
                table: "idempotency_keys");

            migrationBuilder.DropColumn(
                name: "claim",
                schema: "appointments",
                table: "idempotency_keys");
        }
    }
}
