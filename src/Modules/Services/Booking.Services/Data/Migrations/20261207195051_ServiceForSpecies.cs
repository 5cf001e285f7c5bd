using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Services.Data.Migrations
{
    /// <inheritdoc />
    public partial class ServiceForSpecies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "for_species",
                schema: "services",
                table: "services",
                type: "text[]",
                nullable: false,
                // Every service made before the field is for any animal (an empty list); no row is rewritten under RLS.
                defaultValueSql: "'{}'::text[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "for_species",
                schema: "services",
                table: "services");
        }
    }
}
