using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Edge.Store.Migrations
{
    /// <inheritdoc />
    public partial class LeanerEventIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_PassId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_StudentId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_Type",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Events_EncounterLog",
                table: "Events",
                column: "Sequence",
                filter: "\"Type\" = 'EncounterAttemptBlocked'");

            migrationBuilder.CreateIndex(
                name: "IX_Events_PassId",
                table: "Events",
                column: "PassId",
                filter: "\"PassId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Events_StudentId",
                table: "Events",
                column: "StudentId",
                filter: "\"StudentId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_EncounterLog",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_PassId",
                table: "Events");

            migrationBuilder.DropIndex(
                name: "IX_Events_StudentId",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Events_PassId",
                table: "Events",
                column: "PassId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_StudentId",
                table: "Events",
                column: "StudentId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_Type",
                table: "Events",
                column: "Type");
        }
    }
}
