using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Dashboard.Federation.Migrations
{
    /// <inheritdoc />
    public partial class BuildingSetups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BuildingSetups",
                columns: table => new
                {
                    BuildingId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtUnixMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BuildingSetups", x => x.BuildingId);
                    table.ForeignKey(
                        name: "FK_BuildingSetups_Buildings_BuildingId",
                        column: x => x.BuildingId,
                        principalTable: "Buildings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BuildingSetups");
        }
    }
}
