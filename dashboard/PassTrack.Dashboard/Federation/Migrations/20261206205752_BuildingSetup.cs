using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Dashboard.Federation.Migrations
{
    /// <inheritdoc />
    public partial class BuildingSetup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SetupCreatedAtUnixMs",
                table: "Buildings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SetupJson",
                table: "Buildings",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SetupCreatedAtUnixMs",
                table: "Buildings");

            migrationBuilder.DropColumn(
                name: "SetupJson",
                table: "Buildings");
        }
    }
}
