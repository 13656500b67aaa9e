using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Edge.Store.Migrations
{
    /// <inheritdoc />
    public partial class ScanLogByTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // By hand: the scans already stored keep their order of arrival as their new rowid (EF's own rebuild
            // would give every row the same Id and fail on a store that has any).
            migrationBuilder.Sql("""
                CREATE TABLE "Scans_ByTime" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Scans" PRIMARY KEY,
                    "KioskId" TEXT NOT NULL,
                    "ScanId" TEXT NOT NULL,
                    "Reply" BLOB NOT NULL,
                    "Sequence" INTEGER NOT NULL,
                    "ReceivedAtUnixMs" INTEGER NOT NULL);
                INSERT INTO "Scans_ByTime" ("KioskId", "ScanId", "Reply", "Sequence", "ReceivedAtUnixMs")
                    SELECT "KioskId", "ScanId", "Reply", "Sequence", "ReceivedAtUnixMs" FROM "Scans" ORDER BY "ReceivedAtUnixMs", rowid;
                DROP TABLE "Scans";
                ALTER TABLE "Scans_ByTime" RENAME TO "Scans";
                CREATE INDEX "IX_Scans_ReceivedAtUnixMs" ON "Scans" ("ReceivedAtUnixMs");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_Scans",
                table: "Scans");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "Scans");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Scans",
                table: "Scans",
                columns: new[] { "KioskId", "ScanId" });
        }
    }
}
