using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SignalTriage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ArchiveComment",
                table: "signals",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ArchiveReason",
                table: "signals",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "AssigneeUserId",
                table: "signals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "StateUpdatedAt",
                table: "signals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "StateUpdatedByUserId",
                table: "signals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "signals",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "signal_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SignalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActorUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Field = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OldValue = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    NewValue = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signal_changes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_signal_changes_signals_SignalId",
                        column: x => x.SignalId,
                        principalTable: "signals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "signal_comments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SignalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signal_comments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_signal_comments_signals_SignalId",
                        column: x => x.SignalId,
                        principalTable: "signals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_signal_changes_OrganizationId_SignalId_At",
                table: "signal_changes",
                columns: new[] { "OrganizationId", "SignalId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_signal_changes_SignalId",
                table: "signal_changes",
                column: "SignalId");

            migrationBuilder.CreateIndex(
                name: "IX_signal_comments_OrganizationId_SignalId_CreatedAt",
                table: "signal_comments",
                columns: new[] { "OrganizationId", "SignalId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_signal_comments_SignalId",
                table: "signal_comments",
                column: "SignalId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "signal_changes");

            migrationBuilder.DropTable(
                name: "signal_comments");

            migrationBuilder.DropColumn(
                name: "ArchiveComment",
                table: "signals");

            migrationBuilder.DropColumn(
                name: "ArchiveReason",
                table: "signals");

            migrationBuilder.DropColumn(
                name: "AssigneeUserId",
                table: "signals");

            migrationBuilder.DropColumn(
                name: "StateUpdatedAt",
                table: "signals");

            migrationBuilder.DropColumn(
                name: "StateUpdatedByUserId",
                table: "signals");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "signals");
        }
    }
}
