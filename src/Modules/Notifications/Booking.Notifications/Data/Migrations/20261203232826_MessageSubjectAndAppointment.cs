using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// The message log (Tools → Sent messages) shows each message's subject and the appointment it is about: kept on
    /// the row when the message is written (review J15). Rows written before stay without them (null).
    /// </summary>
    public partial class MessageSubjectAndAppointment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "appointment_id",
                schema: "notifications",
                table: "outbound_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "appointment_start",
                schema: "notifications",
                table: "outbound_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "appointment_summary",
                schema: "notifications",
                table: "outbound_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "client_name",
                schema: "notifications",
                table: "outbound_messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subject",
                schema: "notifications",
                table: "outbound_messages",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "appointment_id",
                schema: "notifications",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "appointment_start",
                schema: "notifications",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "appointment_summary",
                schema: "notifications",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "client_name",
                schema: "notifications",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "subject",
                schema: "notifications",
                table: "outbound_messages");
        }
    }
}
