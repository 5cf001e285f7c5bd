using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class CancellationDeclineReasonAndRequestsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "cancellation_decline_reason",
                schema: "appointments",
                table: "appointments",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_appointments_tenant_id_requested_at",
                schema: "appointments",
                table: "appointments",
                columns: new[] { "tenant_id", "requested_at" },
                filter: "requested_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointments_tenant_id_requested_at",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "cancellation_decline_reason",
                schema: "appointments",
                table: "appointments");
        }
    }
}
