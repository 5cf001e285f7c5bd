using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Booking.BrowserTests.Staff.Diary;
using Booking.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Booking.BrowserTests.Staff.Setup;

/// <summary>
/// Decision 248 in Chromium: choosing "owner" on Setup → Team shows the owner's password box (and it goes again for
/// another role); adding someone with the password left empty emails an invitation, whose page sets their password
/// and signs them in. Both pages pass axe-core. On a phone's width the team's rows stack, their actions in view.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class TeamInvitationPageTests(BrowserFixture fixture)
{
    [GeneratedRegex(@"https?://\S+/staff/accept-invitation\?name=[^&\s]+&token=[A-Za-z0-9_-]+")]
    private static partial Regex InvitationLink();

    [Fact]
    public async Task Choosing_owner_asks_for_your_password_and_an_invited_member_sets_theirs_from_the_email()
    {
        var biz = await fixture.SignUpAsync("invite");
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(biz, "/staff/setup/team");

        var stepUp = page.GetByLabel("Your password (to make someone an owner)");
        await Assertions.Expect(stepUp).ToBeHiddenAsync();
        await page.GetByLabel("Role").SelectOptionAsync("owner");
        await Assertions.Expect(stepUp).ToBeVisibleAsync();
        await page.AssertAccessibleAsync("staff-team-owner-step-up");
        await page.GetByLabel("Role").SelectOptionAsync("practitioner");
        await Assertions.Expect(stepUp).ToBeHiddenAsync();

        var email = $"ivy-{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ivy Invited");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to team" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"We emailed {email} an invitation");
        await Assertions.Expect(page.Locator("[data-invited]")).ToHaveTextAsync("Invited — not signed in yet");

        // On a phone each member is a block: the row's actions are in view, not off the side of a scrolling table.
        var wide = page.ViewportSize!;
        await page.SetViewportSizeAsync(375, 800);
        var resend = await page.GetByRole(AriaRole.Button, new() { Name = $"Send the invitation again to Ivy Invited ({email})" }).BoundingBoxAsync();
        Assert.NotNull(resend);
        Assert.True(resend.X + resend.Width <= 375, $"the row's action ends at {resend.X + resend.Width:F0} px, past a 375 px screen");
        await page.SetViewportSizeAsync(wide.Width, wide.Height);

        var mail = await Eventually.ReturnsAsync(
            () => Task.FromResult(fixture.Smtp.MessagesTo(email)), m => m.Count > 0, TimeSpan.FromSeconds(30), "the invitation");
        var link = InvitationLink().Match(mail[0].TextBody ?? "").Value;
        Assert.NotEmpty(link);

        var invitee = await fixture.NewPageAsync();
        await invitee.GotoAsync(link);
        await invitee.AssertAccessibleAsync("staff-accept-invitation");
        await invitee.GetByLabel("Choose a password").FillAsync("ivy picked her own words 2026");
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Set my password" }).ClickAsync();
        await Assertions.Expect(invitee.GetByRole(AriaRole.Status)).ToContainTextAsync("Your password is set and your email address is confirmed.");
        await invitee.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await invitee.GetByLabel("Email").FillAsync(email);
        await invitee.GetByLabel("Password").FillAsync("ivy picked her own words 2026");
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(invitee).Not.ToHaveURLAsync(new Regex("/staff/sign-in"));
    }
}
