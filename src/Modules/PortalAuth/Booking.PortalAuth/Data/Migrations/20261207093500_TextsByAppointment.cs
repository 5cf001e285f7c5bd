using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// Decision 340: a request's answer asks whether its receipt was texted (<c>TextPromises</c>): the texts of one
    /// appointment by kind, found by an index instead of a scan of the business's whole record of texts. An index only: no
    /// row is written, so no row-level security switch is needed.
    /// </summary>
    public partial class TextsByAppointment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_texts_tenant_id_appointment_id_kind",
                schema: "portalauth",
                table: "texts",
                columns: new[] { "tenant_id", "appointment_id", "kind" },
                filter: "appointment_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_texts_tenant_id_appointment_id_kind",
                schema: "portalauth",
                table: "texts");
        }
    }
}
