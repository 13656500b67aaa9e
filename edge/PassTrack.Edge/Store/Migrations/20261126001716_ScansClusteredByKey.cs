using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Edge.Store.Migrations
{
    /// <inheritdoc />
    public partial class ScansClusteredByKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Answered scans live in one B-tree keyed by (kiosk, scan id): every decision inserts one, so a table plus a
            // separate primary-key index doubled the work. EF Core cannot say WITHOUT ROWID, so the table is rebuilt here.
            migrationBuilder.Sql("""
                CREATE TABLE "Scans_clustered" (
                    "KioskId" TEXT NOT NULL,
                    "ScanId" TEXT NOT NULL,
                    "Reply" BLOB NOT NULL,
                    "Sequence" INTEGER NOT NULL,
                    "ReceivedAtUnixMs" INTEGER NOT NULL,
                    CONSTRAINT "PK_Scans" PRIMARY KEY ("KioskId", "ScanId")
                ) WITHOUT ROWID;
                INSERT INTO "Scans_clustered" ("KioskId", "ScanId", "Reply", "Sequence", "ReceivedAtUnixMs")
                    SELECT "KioskId", "ScanId", "Reply", "Sequence", "ReceivedAtUnixMs" FROM "Scans";
                DROP TABLE "Scans";
                ALTER TABLE "Scans_clustered" RENAME TO "Scans";
                """);
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
