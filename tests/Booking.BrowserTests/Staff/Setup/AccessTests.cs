using System.Net.Http.Json;
using Booking.BrowserTests.Infrastructure;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

[Collection(BrowserCollection.Name)]
public sealed class AccessTests(BrowserFixture fixture)
{
    private static readonly string[] SetupPages = ["/staff/setup/portal", "/staff/setup/team", "/staff/tools/communication", "/staff/tools/messages"];

    [Fact]
    public async Task The_owner_manages_the_team_and_a_practitioner_gets_the_403_page_on_setup_pages()
    {
        var biz = await fixture.SignUpAsync("team");
        var practitionerEmail = await biz.AddMemberAsync("practitioner");

        var owner = await fixture.NewPageAsync();
        await owner.SignInAsync(biz.Slug, biz.OwnerEmail, TestBusiness.OwnerPassword);
        await owner.GotoAsync("/staff/setup/team");
        await Assertions.Expect(owner.GetByRole(AriaRole.Cell, new() { Name = practitionerEmail, Exact = true })).ToBeVisibleAsync();
        await owner.GetByLabel("Name", new() { Exact = true }).FillAsync("Ada Admin");
        await owner.GetByLabel("Email", new() { Exact = true }).FillAsync($"ada@{biz.Slug}.example");
        await owner.GetByLabel("Password", new() { Exact = true }).FillAsync(StaffSetupPages.MemberPassword);
        await owner.GetByLabel("Role").SelectOptionAsync("admin");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Status)).ToHaveTextAsync("Team member added.");
        await Assertions.Expect(owner.GetByRole(AriaRole.Cell, new() { Name = $"ada@{biz.Slug}.example", Exact = true })).ToBeVisibleAsync();
        // The same email again: refused next to the field.
        await owner.GetByLabel("Name", new() { Exact = true }).FillAsync("Ada Again");
        await owner.GetByLabel("Email", new() { Exact = true }).FillAsync($"ada@{biz.Slug}.example");
        await owner.GetByLabel("Password", new() { Exact = true }).FillAsync(StaffSetupPages.MemberPassword);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
        await Assertions.Expect(owner.Locator("#m-email-error")).ToContainTextAsync("already uses this email");
        await owner.AssertAccessibleAsync("staff-setup-team");
        await owner.CaptureAtWidthsAsync("staff-setup-team", 360, 1280);

        var practitioner = await fixture.NewPageAsync();
        await practitioner.SignInAsync(biz.Slug, practitionerEmail, StaffSetupPages.MemberPassword);
        foreach (var path in SetupPages)
        {
            var response = await practitioner.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await Assertions.Expect(practitioner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not available to your role");
        }

        // Requests are not setup: the refusal says who decides them (a diary contact's email sends a practitioner there).
        Assert.Equal(403, (await practitioner.GotoAsync("/staff/requests"))!.Status);
        await Assertions.Expect(practitioner.GetByRole(AriaRole.Main)).ToContainTextAsync("Booking requests are confirmed or declined, and cancellation requests decided, by the business's owner or an admin");

        await practitioner.AssertAccessibleAsync("staff-setup-forbidden");
        await practitioner.CaptureAtWidthsAsync("staff-setup-forbidden", 360, 1280);
    }

    [Fact]
    public async Task Another_businesss_staff_get_the_403_page_and_a_portal_client_is_sent_to_staff_sign_in()
    {
        var mine = await fixture.SignUpAsync("mine");
        var theirs = await fixture.SignUpAsync("theirs");

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(mine.Slug, mine.OwnerEmail, TestBusiness.OwnerPassword);
        foreach (var path in SetupPages)
        {
            var response = await page.GotoAsync($"{path}?name={theirs.Slug}");
            Assert.Equal(403, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This page belongs to another business");
            await Assertions.Expect(page.GetByText(theirs.Slug)).ToHaveCountAsync(0);
        }

        // A client signed in to the portal has no staff session: the setup pages send them to staff sign-in.
        var client = await fixture.NewPageAsync();
        var registered = await client.Context.APIRequest.PostAsync($"/api/v1/portal/auth/register?name={theirs.Slug}", new()
        {
            DataObject = new { firstName = "Robin", lastName = "Client", email = $"robin@{theirs.Slug}.example", password = "robin client password 2026" },
        });
        Assert.Equal(201, registered.Status);
        foreach (var path in SetupPages)
        {
            await client.GotoAsync($"{path}?name={theirs.Slug}");
            await Assertions.Expect(client).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/staff/sign-in\\?name={theirs.Slug}&returnUrl="));
            await Assertions.Expect(client.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Sign in to Business {theirs.Slug}");
        }
    }
}
