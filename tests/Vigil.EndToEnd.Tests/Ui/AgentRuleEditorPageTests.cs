using Microsoft.Playwright;
using Vigil.Api.Features.RemoteConfig;
using Vigil.Testing;
using static Vigil.EndToEnd.Tests.Ui.UiScenario;

namespace Vigil.EndToEnd.Tests.Ui;

/// <summary>Custom agent rules in the browser: create with live validation, edit, delete; each change publishes a policy version.</summary>
public sealed class AgentRuleEditorPageTests(ProductionDeployment deployment) : IClassFixture<ProductionDeployment>
{
    [Fact]
    public async Task RulesPage_AdminCreatesFixesEditsAndDeletesACustomAgentRule_EachSavePublishingANewPolicyVersion()
    {
        var org = await TestOrganization.CreateAsync(deployment.Api.Services);
        await ContentUpgradeTask.SeedAsync(deployment.Api.Services, org.Id, CancellationToken.None);
        var page = await deployment.Browser.LoginAsync(deployment.Web.Address, org.AdminEmail, org.Password);
        await OpenAsync(page, "rules");
        await Assertions.Expect(page.GetByTestId("policy-version")).ToContainTextAsync("version 1", SlowText);

        // Out-of-the-box rules offer a clone, not an edit.
        await page.GetByTestId("agent-rules-filter").FillAsync("web_server_spawned_shell");
        var ootb = page.GetByTestId("agent-rule-row").Filter(new() { HasText = "web_server_spawned_shell" });
        await Assertions.Expect(ootb.GetByTestId("agent-rule-clone")).ToHaveTextAsync("Clone to customise");
        await Assertions.Expect(ootb.GetByTestId("agent-rule-edit")).ToHaveCountAsync(0);

        // A broken expression is marked where it breaks, and cannot be saved.
        await page.GetByTestId("agent-rule-new").ClickAsync();
        var editor = page.GetByTestId("agent-rule-editor");
        await editor.GetByTestId("agent-rule-id").FillAsync("netcat_listener");
        await editor.GetByTestId("agent-rule-description").FillAsync("netcat started");
        await editor.GetByTestId("agent-rule-expression").FillAsync("exec.file.name == \"nc\" && exec.file.colour == \"red\"");
        var error = editor.GetByTestId("agent-rule-expression-error");
        await Assertions.Expect(error).ToContainTextAsync("colour", SlowText);
        await Assertions.Expect(error).ToHaveAttributeAsync("data-column", "27");
        await Assertions.Expect(error.GetByTestId("agent-rule-error-span")).ToHaveTextAsync("exec.file.colour");
        await Assertions.Expect(editor.GetByTestId("agent-rule-save")).ToBeDisabledAsync();
        await ScreenshotAsync(editor, "agent-rule-editor-error");

        // Fixed, saved: the rule is listed and the policy moves to version 2.
        await editor.GetByTestId("agent-rule-expression").FillAsync("exec.file.name == \"nc\" && exec.argv in [\"-l\"]");
        await Assertions.Expect(editor.GetByTestId("agent-rule-validation-state")).ToContainTextAsync("compiles", SlowText);
        await Assertions.Expect(error).ToHaveCountAsync(0);
        await editor.GetByTestId("agent-rule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-version")).ToContainTextAsync("version 2", SlowText);
        await Assertions.Expect(editor).ToHaveCountAsync(0);
        await page.GetByTestId("agent-rules-filter").FillAsync("netcat_listener");
        var row = page.GetByTestId("agent-rule-row").Filter(new() { HasText = "netcat_listener" });
        await Assertions.Expect(row).ToContainTextAsync("exec.argv in [\"-l\"]", SlowText);
        await Assertions.Expect(row).ToContainTextAsync("custom");
        await ScreenshotAsync(page, "agent-rule-created");

        // Edited: a new expression and a host-tag scope, version 3.
        await row.GetByTestId("agent-rule-edit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("agent-rule-editor-row").GetByTestId("agent-rule-editor")).ToBeVisibleAsync(); // opens under its row
        await Assertions.Expect(editor.GetByTestId("agent-rule-id")).ToHaveValueAsync("netcat_listener");
        await editor.GetByTestId("agent-rule-expression").FillAsync("exec.file.name in [\"nc\", \"ncat\"]");
        await editor.GetByTestId("agent-rule-host-tags").FillAsync("env:prod");
        await Assertions.Expect(editor.GetByTestId("agent-rule-validation-state")).ToContainTextAsync("compiles", SlowText);
        await editor.GetByTestId("agent-rule-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-version")).ToContainTextAsync("version 3", SlowText);
        await Assertions.Expect(row).ToContainTextAsync("exec.file.name in [\"nc\", \"ncat\"]", SlowText);

        // Deleted after a confirmation: gone from the list, version 4.
        await row.GetByTestId("agent-rule-delete").ClickAsync();
        await Assertions.Expect(row.GetByTestId("agent-rule-delete-confirm")).ToContainTextAsync("Delete netcat_listener?");
        await row.GetByTestId("agent-rule-delete-yes").ClickAsync();
        await Assertions.Expect(page.GetByTestId("policy-version")).ToContainTextAsync("version 4", SlowText);
        await Assertions.Expect(row).ToHaveCountAsync(0, Slow);
        await ScreenshotAsync(page, "agent-rule-deleted");
        await page.Context.CloseAsync();
    }
}
