using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <inheritdoc />
    public partial class CodeSendsByMobile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_code_sends_mobile_at",
                schema: "portalauth",
                table: "code_sends",
                columns: new[] { "mobile", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_code_sends_mobile_at",
                schema: "portalauth",
                table: "code_sends");
        }
    }
}
