using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <inheritdoc />
    public partial class PortalSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "portal_settings",
                schema: "tenancy",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    sign_in_with_email = table.Column<bool>(type: "boolean", nullable: false),
                    sign_in_with_phone = table.Column<bool>(type: "boolean", nullable: false),
                    can_view = table.Column<bool>(type: "boolean", nullable: false),
                    can_book = table.Column<bool>(type: "boolean", nullable: false),
                    can_cancel = table.Column<bool>(type: "boolean", nullable: false),
                    cancellation_hours = table.Column<int>(type: "integer", nullable: false),
                    cancellation_text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    inside_window = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    accepting_new_clients = table.Column<bool>(type: "boolean", nullable: false),
                    new_clients_need_approval = table.Column<bool>(type: "boolean", nullable: false),
                    show_prices = table.Column<bool>(type: "boolean", nullable: false),
                    books_for_pets = table.Column<bool>(type: "boolean", nullable: false),
                    booking_instructions = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    terms_text = table.Column<string>(type: "character varying(50000)", maxLength: 50000, nullable: true),
                    terms_version = table.Column<int>(type: "integer", nullable: false),
                    branding_colour = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    has_logo = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_settings", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_portal_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "tenancy",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "terms_versions",
                schema: "tenancy",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "character varying(50000)", maxLength: 50000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_terms_versions", x => new { x.tenant_id, x.version });
                    table.ForeignKey(
                        name: "fk_terms_versions_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "tenancy",
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "portal_settings",
                schema: "tenancy");

            migrationBuilder.DropTable(
                name: "terms_versions",
                schema: "tenancy");
        }
    }
}
