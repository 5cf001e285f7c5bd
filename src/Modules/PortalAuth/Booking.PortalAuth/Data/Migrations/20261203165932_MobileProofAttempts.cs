using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// <c>sign_in_attempts.client_id</c>: null for a phone sign-in; the signed-in client's id for an attempt proving a
    /// mobile from the portal (Your details), which only that client can use, and only there. Existing attempts: sign-ins.
    /// </summary>
    public partial class MobileProofAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "client_id",
                schema: "portalauth",
                table: "sign_in_attempts",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "client_id",
                schema: "portalauth",
                table: "sign_in_attempts");
        }
    }
}
