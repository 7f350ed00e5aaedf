using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Vigil.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SignalDataDropped : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "DataDropped",
                table: "signals",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DataDropped",
                table: "signals");
        }
    }
}
