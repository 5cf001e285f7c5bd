using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClientCancellationsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_appointments_client_cancellations",
                schema: "appointments",
                table: "appointments",
                columns: new[] { "tenant_id", "client_id", "cancelled_at" },
                filter: "cancelled_by = 'client'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointments_client_cancellations",
                schema: "appointments",
                table: "appointments");
        }
    }
}
