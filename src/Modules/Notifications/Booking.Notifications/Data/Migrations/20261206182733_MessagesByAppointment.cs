using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <inheritdoc />
    public partial class MessagesByAppointment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_outbound_messages_appointment",
                schema: "notifications",
                table: "outbound_messages",
                columns: new[] { "tenant_id", "appointment_id" },
                filter: "appointment_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbound_messages_appointment",
                schema: "notifications",
                table: "outbound_messages");
        }
    }
}
