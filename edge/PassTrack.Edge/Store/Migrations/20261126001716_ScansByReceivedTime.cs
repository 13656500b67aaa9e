using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Edge.Store.Migrations
{
    /// <inheritdoc />
    public partial class ScansByReceivedTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Lets the edge load the last day of answered scans at start without reading the whole table.
            migrationBuilder.CreateIndex(
                name: "IX_Scans_ReceivedAtUnixMs",
                table: "Scans",
                column: "ReceivedAtUnixMs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Scans_ReceivedAtUnixMs",
                table: "Scans");
        }
    }
}
