using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// <c>pets.removed_at</c>: a pet the client removed stays (appointments keep its id and name it) with the time it was
    /// removed; the context's named filter <c>PetOnFile</c> leaves it out of every read but the appointments' names.
    /// Existing pets get null: all on file. Row-level security is the table's own (the migrator's policy).
    /// </summary>
    public partial class PetRemovedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "removed_at",
                schema: "portalauth",
                table: "pets",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "removed_at",
                schema: "portalauth",
                table: "pets");
        }
    }
}
