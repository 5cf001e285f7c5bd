using System.Text.RegularExpressions;
using Booking.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace Booking.BrowserTests.EndToEnd;

/// <summary>
/// Issue 7's whole story in one browser: a business signs up, configures its portal, adds a diary with a roster and a
/// service, writes the diary contact's template, and a client then books in the portal; the diary contact's email
/// arrives at the loopback SMTP server with the template's merge fields filled. Nothing is set up through the API.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NewBusinessTakesABookingTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_business_set_up_from_zero_in_the_browser_takes_a_portal_booking_and_its_diary_contact_is_emailed()
    {
        var slug = $"e2e-{Guid.NewGuid().ToString("N")[..8]}";
        var contact = $"diary@{slug}.example";
        var staff = await fixture.NewPageAsync();

        // Sign up (the time zone comes from the browser: Europe/London in the fixture).
        await staff.GotoAsync("/staff/sign-up");
        await staff.GetByLabel("Booking name", new() { Exact = true }).FillAsync(slug);
        await Assertions.Expect(staff.Locator("#slug-status")).ToContainTextAsync("is available");
        await staff.GetByLabel("Business name", new() { Exact = true }).FillAsync("Harbour Grooming");
        await staff.GetByLabel("Your name").FillAsync("Hana Owner");
        await staff.GetByLabel("Your email").FillAsync($"hana@{slug}.example");
        await staff.GetByLabel("Password", new() { Exact = true }).FillAsync("harbour grooming owner password");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Assertions.Expect(staff).ToHaveURLAsync(new Regex("/staff/setup/portal"));

        // The portal: instructions and no approval step for new clients.
        await staff.GetByLabel("Booking instructions").FillAsync("Bring your dog on a lead.");
        await staff.GetByLabel("New clients need approval before booking").UncheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("Portal settings saved.");

        // A diary with its contact, open every day 09:00-17:00 online, and rules without notice.
        await staff.GotoAsync("/staff/setup/roster");
        await staff.GetByLabel("Slot interval (minutes)").SelectOptionAsync("30");
        await staff.GetByLabel("Minimum notice (minutes)").FillAsync("0");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save rules" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("Booking rules saved.");
        await staff.GetByLabel("Diary name").FillAsync("Groomer Gus");
        await staff.GetByLabel("Diary contact email").FillAsync(contact);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Add diary" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Groomer Gus");
        await Assertions.Expect(staff.Locator("#details-email-state")).ToContainTextAsync("waiting for confirmation");

        // The contact's person says yes on the page the confirmation email links to; only then is it mailed.
        var confirmation = await WaitForMailAsync(contact, m => m.Subject!.StartsWith("Do you want booking emails", StringComparison.Ordinal));
        var link = confirmation.TextBody!.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).First(l => l.Contains("/staff/confirm-address?", StringComparison.Ordinal));
        var person = await fixture.NewPageAsync();
        await person.GotoAsync(new Uri(link).PathAndQuery);
        await person.GetByRole(AriaRole.Button, new() { Name = "Yes, send me these emails" }).ClickAsync();
        await Assertions.Expect(person.Locator("#answered")).ToContainTextAsync("will get emails from Harbour Grooming");
        await staff.ReloadAsync();
        await Assertions.Expect(staff.Locator("#details-email-state")).ToContainTextAsync("confirmed");
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        for (var row = 1; row <= days.Length; row++)
        {
            if (await staff.GetByLabel($"Row {row} day").CountAsync() == 0)
            {
                await staff.GetByRole(AriaRole.Button, new() { Name = "Add a row" }).ClickAsync();
            }

            await staff.GetByLabel($"Row {row} day").SelectOptionAsync(days[row - 1]);
            await staff.GetByLabel($"Row {row} start").FillAsync("09:00");
            await staff.GetByLabel($"Row {row} end").FillAsync("17:00");
        }

        await staff.GetByRole(AriaRole.Button, new() { Name = "Save weekly roster" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("Weekly roster saved.");

        // A service the diary provides online.
        await staff.GotoAsync("/staff/setup/services");
        await staff.GetByRole(AriaRole.Link, new() { Name = "Add a service" }).ClickAsync();
        await staff.GetByLabel("Name").FillAsync("Full groom");
        await staff.GetByLabel("Duration (minutes)").FillAsync("60");
        await staff.GetByLabel(new Regex("^Price")).FillAsync("80.00");
        await staff.GetByLabel("Groomer Gus").CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved Full groom.");

        // The diary contact's template, with merge fields, chosen for new appointments.
        await staff.GotoAsync("/staff/tools/communication");
        await staff.GetByLabel("Name", new() { Exact = true }).FillAsync("Diary: new booking");
        await staff.GetByLabel("Subject", new() { Exact = true }).FillAsync("New booking: {ClientFullName} for {ServiceName}");
        await staff.GetByLabel("Body", new() { Exact = true }).FillAsync(
            "{ClientFullName} ({ClientEmail}) booked {ServiceName} with {DiaryName} at {BusinessName}, starting {AppointmentStartDateTime}.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("Template saved.");
        await staff.GotoAsync("/staff/setup/portal");
        await staff.GetByLabel("Send an email on a new appointment").CheckAsync();
        await staff.GetByLabel("Template for new appointments").SelectOptionAsync(new SelectOptionValue { Label = "Diary: new booking" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save notification choices" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Status)).ToHaveTextAsync("Notification choices saved.");
        var portalUrl = await staff.GetByLabel("Portal URL").InputValueAsync();

        // A client opens the printed portal URL, creates an account and books the first slot two days ahead.
        var client = await fixture.NewPageAsync(360);
        await client.GotoAsync(portalUrl);
        await Assertions.Expect(client.GetByText("Bring your dog on a lead.")).ToBeVisibleAsync();
        await client.GetByRole(AriaRole.Link, new() { Name = "Create an account with your email" }).ClickAsync();
        var clientEmail = $"casey@{slug}.example";
        await client.GetByLabel("First name").FillAsync("Casey");
        await client.GetByLabel("Last name").FillAsync("Client");
        await client.GetByLabel("Email").FillAsync(clientEmail);
        await client.GetByLabel("Password").FillAsync("casey walks the dog at dawn");
        await client.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await client.Locator(".days a").Nth(2).ClickAsync();
        await client.Locator(".slot").First.ClickAsync();
        await client.GetByRole(AriaRole.Button, new() { Name = "Confirm booking" }).ClickAsync();
        await Assertions.Expect(client.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("You're booked");
        // The booked start in the business's offset: its first ten characters are the business's local date.
        var bookedDate = (await client.Locator("main time[datetime]").First.GetAttributeAsync("datetime"))![..10];

        // The diary contact's email, every merge field filled with the booking's real values.
        var mail = await WaitForMailAsync(contact, m => !m.Subject!.StartsWith("Do you want booking emails", StringComparison.Ordinal));
        Assert.Equal("New booking: Casey Client for Full groom", mail.Subject);
        var text = mail.TextBody;
        Assert.Contains($"Casey Client ({clientEmail}) booked Full groom with Groomer Gus at Harbour Grooming, starting ", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(BraceToken(), text);
        Assert.Matches(new Regex(@"starting .*\d{1,2}[:.]\d{2}"), text);

        // The staff diary shows it too.
        // The week of the booked date (the third day offered may fall in next week).
        await staff.GotoAsync($"/staff/diary?view=week&date={bookedDate}");
        await Assertions.Expect(staff.GetByRole(AriaRole.Main)).ToContainTextAsync("Casey Client");
    }

    private async Task<MimeMessage> WaitForMailAsync(string address, Func<MimeMessage, bool> which)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var messages = fixture.Smtp.MessagesTo(address).Where(which).ToList();
            if (messages.Count > 0)
            {
                return Assert.Single(messages);
            }

            Assert.True(DateTime.UtcNow < deadline, $"No email reached {address} within 30 s.");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial Regex BraceToken();
}
