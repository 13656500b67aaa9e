using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PassTrack.Dashboard.Access.Migrations
{
    /// <inheritdoc />
    public partial class AuditLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AtUnixMs = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    BuildingId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    What = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditLogStudents",
                columns: table => new
                {
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    BuildingId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StudentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLogStudents", x => new { x.EntryId, x.BuildingId, x.StudentId });
                    table.ForeignKey(
                        name: "FK_AuditLogStudents_AuditLog_EntryId",
                        column: x => x.EntryId,
                        principalTable: "AuditLog",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_AtUnixMs",
                table: "AuditLog",
                column: "AtUnixMs");

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_UserId_AtUnixMs",
                table: "AuditLog",
                columns: new[] { "UserId", "AtUnixMs" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditLogStudents_BuildingId_StudentId",
                table: "AuditLogStudents",
                columns: new[] { "BuildingId", "StudentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditLogStudents");

            migrationBuilder.DropTable(
                name: "AuditLog");
        }
    }
}
