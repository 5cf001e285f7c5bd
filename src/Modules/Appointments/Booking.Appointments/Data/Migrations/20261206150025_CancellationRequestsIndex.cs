using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class CancellationRequestsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_appointments_tenant_id_cancellation_requested_at",
                schema: "appointments",
                table: "appointments",
                columns: new[] { "tenant_id", "cancellation_requested_at" },
                filter: "cancellation_requested_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointments_tenant_id_cancellation_requested_at",
                schema: "appointments",
                table: "appointments");
        }
    }
}
