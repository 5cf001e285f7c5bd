using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.BuildingBlocks.Data.Migrations
{
    /// <summary>
    /// <c>address_counts</c>: business sign-ups and client registrations per client address per clock hour
    /// (<see cref="Platform.AddressLimits"/>). No tenant_id, so no row-level security: a sign-up has no business yet, and the
    /// cap across businesses must be one no business can see around.
    /// </summary>
    public partial class AddressCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "address_counts",
                schema: "platform",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_address_counts", x => new { x.key, x.hour });
                });

            migrationBuilder.CreateIndex(
                name: "ix_address_counts_hour",
                schema: "platform",
                table: "address_counts",
                column: "hour");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "address_counts",
                schema: "platform");
        }
    }
}
