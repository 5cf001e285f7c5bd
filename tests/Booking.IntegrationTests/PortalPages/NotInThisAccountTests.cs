using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using NodaTime;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A cancel link (from an email) opened in a browser signed in as another client: the page says whose account this is
/// and offers to sign out and come back, in the same words for an id that does not exist (nothing of the other client's
/// appointment shows); the API stays 404. And the small mends around it: /ol/sign-out read by a GET, the change-password
/// page's way back, the email-change link's zone, one wording for the pet's notes.
/// </summary>
public sealed class NotInThisAccountTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string ClientPassword = "a long client password 2026!";

    private BookingApp App => shared.App;

    private static async Task<string> EmailOfAsync(PortalClient client, string slug) =>
        (await (await client.Http.MeAsync(slug)).JsonAsync(HttpStatusCode.OK)).GetProperty("email").GetString()!;

    [Fact]
    public async Task Another_clients_cancel_link_says_whose_account_this_is_alike_for_a_missing_id_and_signs_out_back_to_it()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var alice = await App.RegisterClientAsync(b.Biz, "Alice", "Owner");
        var id = (await (await alice.BookAsync(b, At(Day(3), 10), note: "Alice's private note")).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var bob = await App.RegisterClientAsync(b.Biz, "Bob", "Other");
        var bobEmail = await EmailOfAsync(bob, slug);

        var theirs = await bob.Http.PageAsync($"/ol/cancel?name={slug}&id={id}");
        var missing = await bob.Http.PageAsync($"/ol/cancel?name={slug}&id={Guid.NewGuid()}");
        var malformed = await bob.Http.PageAsync($"/ol/cancel?name={slug}&id=not-an-id");
        var expected = $"This appointment isn't in the account you're signed in to (Bob Other, {bobEmail}).If the email was sent to someone else, sign out and sign in as them.";
        foreach (var page in new[] { theirs, missing, malformed })
        {
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Equal(expected, page.One("#not-in-account")?.TextContent.Replace("\n", "", StringComparison.Ordinal).Replace("    ", "", StringComparison.Ordinal).Trim());
            Assert.Equal("Sign out and sign in again", page.One("#sign-out-and-return")?.TextContent.Trim());
        }

        // The same words whoever's the id was: nothing of Alice's appointment.
        Assert.Equal(missing.One("main")!.TextContent, theirs.One("main")!.TextContent);
        Assert.Equal(malformed.One("main")!.TextContent, theirs.One("main")!.TextContent);
        Assert.DoesNotContain("Alice", theirs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Consultation", theirs.Text, StringComparison.Ordinal);
        // The API stays 404.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={slug}", UriKind.Relative))).StatusCode);

        // "Sign out and sign in again": signed out, back to the link, which asks for sign-in and returns to it.
        var signedOut = await bob.Http.SubmitAsync(theirs, PortalHtml.Fields(), "main form[action*='/ol/sign-out']");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        Assert.Equal($"/ol/cancel?name={slug}&id={id}", signedOut.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.Http.MeAsync(slug)).StatusCode);
        var toSignIn = await bob.Http.PageAsync(signedOut.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.Status);
        var signIn = await bob.Http.PageAsync(toSignIn.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.Equal("Sign in to cancel your appointment.", signIn.One("#sign-in-reason")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await bob.Http.SignInAsync(slug, await EmailOfAsync(alice, slug), ClientPassword)).StatusCode);
        var hers = await bob.Http.PageAsync($"/ol/cancel?name={slug}&id={id}");
        Assert.Equal(HttpStatusCode.OK, hers.Status);
        Assert.Null(hers.One("#not-in-account"));
        Assert.Equal("Alice's private note", hers.One("#your-note")?.TextContent);
    }

    [Fact]
    public async Task A_get_of_sign_out_says_what_signing_out_does_and_signs_out_only_by_its_button_to_a_portal_page_only()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var carl = await App.RegisterClientAsync(b.Biz, "Carl", "Bookmark");

        var page = await carl.Http.PageAsync($"/ol/sign-out?name={slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal($"Signing out ends your session with Business {slug} in this browser. You will need to sign in again to see or book your appointments. Your account and appointments stay as they are.",
            page.One("#sign-out-what")?.TextContent.Trim());
        Assert.Equal("Sign out", page.One("main button#sign-out")?.TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await carl.Http.MeAsync(slug)).StatusCode); // the GET signed nobody out

        // A return address that is not this business's portal is dropped: the sign-out goes to the landing page.
        var foreign = await carl.Http.PageAsync($"/ol/sign-out?name={slug}&returnUrl={Uri.EscapeDataString("https://evil.example/ol/cancel?name=" + slug)}");
        Assert.Null(foreign.One("#sign-out-then"));
        var left = await carl.Http.SubmitAsync(foreign, PortalHtml.Fields(), "main form");
        Assert.Equal(HttpStatusCode.Redirect, left.Status);
        Assert.Equal($"/ol/book?name={slug}&signedOut=1", left.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carl.Http.MeAsync(slug)).StatusCode);

        var signedOutPage = await carl.Http.PageAsync($"/ol/sign-out?name={slug}");
        Assert.Equal($"You are not signed in to Business {slug} in this browser, so there is nothing to sign out of.", signedOutPage.One("main p")?.TextContent.Trim());
    }

    [Fact]
    public async Task Change_password_links_back_to_your_details_the_email_link_names_the_zone_and_the_pet_notes_read_alike()
    {
        var b = await App.BookableAsync();
        var slug = b.Biz.Slug;
        var dana = await App.RegisterClientAsync(b.Biz, "Dana", "Details");

        var password = await dana.Http.PageAsync($"/ol/change-password?name={slug}");
        Assert.Equal($"/ol/account?name={slug}", password.One("#back-to-details")?.GetAttribute("href"));
        Assert.Equal("Back to your details", password.One("#back-to-details")?.TextContent.Trim());

        var emailPage = await dana.Http.PageAsync($"/ol/account/email?name={slug}");
        var sent = await dana.Http.SubmitAsync(emailPage, PortalHtml.Fields(("Input.Email", PortalAuthHelpers.NewEmail()), ("Input.CurrentPassword", ClientPassword)));
        var until = sent.One("#link-until")?.TextContent ?? "";
        var zone = Sydney.GetZoneInterval(SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromHours(1))).Name; // AEDT or AEST
        Assert.Matches($@"^The link works until .+ {zone}\. Until then nothing changes", until);

        // The pet's notes: one label and one hint on My pets, a pet's Edit page and the booking's "A pet not listed yet".
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var start = (await dana.Http.SlotsAsync(b, Day(2), Day(2), diary: b.DiaryId.ToString())).Starts()[0].ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var confirm = await dana.Http.PageAsync($"/ol/new-booking/confirm?name={slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(start)}");
        var pets = await dana.Http.PageAsync($"/ol/pets?name={slug}");
        Assert.Equal("Notes about your pet (optional)", confirm.One("label[for='Input_PetNotes']")?.TextContent.Trim());
        Assert.Equal("Notes about your pet (optional)", pets.One("label[for='Input_Notes']")?.TextContent.Trim());
        Assert.Equal($"Anything Business {slug} should know: health, temperament, care.", confirm.One("#pet-notes-hint")?.TextContent.Trim());
        Assert.Equal($"Anything Business {slug} should know: health, temperament, care.", pets.One("#notes-hint")?.TextContent.Trim());
        // The booking's own note is "Your note", as the Booked and Cancel pages and My appointments show it.
        Assert.Equal($"Your note for Business {slug} (optional)", confirm.One("label[for='Input_Note']")?.TextContent.Trim());
    }
}
