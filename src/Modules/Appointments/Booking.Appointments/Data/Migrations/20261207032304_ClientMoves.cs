using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// <c>client_moves</c> (decision 326): one row per move a client made of their own appointment in the portal, for the
    /// moves limit (<c>RecentMovesLimit</c>); the appointment keeps only its last move. Moves before it are not filled in:
    /// the limit looks back one day only.
    /// </summary>
    public partial class ClientMoves : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "client_moves",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    moved_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_client_moves", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_client_moves_appointments_tenant_id_appointment_id",
                        columns: x => new { x.tenant_id, x.appointment_id },
                        principalSchema: "appointments",
                        principalTable: "appointments",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_client_moves_tenant_id_appointment_id_moved_at",
                schema: "appointments",
                table: "client_moves",
                columns: new[] { "tenant_id", "appointment_id", "moved_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "client_moves",
                schema: "appointments");
        }
    }
}
