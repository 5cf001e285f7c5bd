using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Reviewers' findings of session 34 on the portal's pages: removing a pet offers to cancel its upcoming appointments
/// under the business's policy (decision 281), the calendar file names the pet, a landline is said to be one, pet
/// fields' errors name the field, a date that is not shown says so, and the mobile page speaks to people.
/// </summary>
public sealed class PetsAndWordsReviewTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<Guid> AddPetAsync(PortalClient client, TestBusiness biz, string name) =>
        (await (await client.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={biz.Slug}", new { name, species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> BookForAsync(PortalClient client, Bookable b, string start, Guid pet) =>
        (await (await client.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = pet, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<string?> StatusAsync(PortalClient client, Bookable b, Guid id) =>
        (await (await client.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("status").GetString();

    [Fact]
    public async Task Removing_a_pet_cancels_its_upcoming_appointments_under_the_policy_when_asked_and_its_calendar_file_names_it()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["booksForPets"] = true;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
        });
        var alice = await App.RegisterClientAsync(b.Biz);
        var marmite = await AddPetAsync(alice, b.Biz, "Marmite");
        var rex = await AddPetAsync(alice, b.Biz, "Rex");
        var soon = await BookForAsync(alice, b, At(Day(1), 10), marmite); // inside the 48 hours: a request
        var later = await BookForAsync(alice, b, At(Day(6), 10), marmite); // outside: cancelled
        var rexs = await BookForAsync(alice, b, At(Day(6), 14), rex);

        // The calendar file tells the two dogs apart.
        var ics = await alice.Http.GetStringAsync(new Uri($"/ol/calendar?name={b.Biz.Slug}&id={later}", UriKind.Relative));
        Assert.Contains("SUMMARY:Consultation for Marmite with ", ics, StringComparison.Ordinal);

        var confirm = await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={marmite}");
        Assert.Equal("Marmite has 2 upcoming appointments", confirm.One("#pet-upcoming")?.TextContent.Trim());
        Assert.Equal(2, confirm.All(".pet-upcoming li").Length);
        Assert.DoesNotContain("stay as they are", confirm.Text, StringComparison.Ordinal);
        Assert.Equal("Also cancel these 2 appointments", confirm.One("label[for=cancel-appointments]")?.TextContent.Trim());
        Assert.NotNull(confirm.One("#cancel-appointments[checked]"));

        var removed = await alice.Http.SubmitAsync(confirm, PortalHtml.Fields());
        Assert.Equal(HttpStatusCode.Redirect, removed.Status);
        var list = await alice.Http.PageAsync(removed.Response.Headers.Location!.OriginalString);
        Assert.Equal(
            $"The pet is removed from your details. 1 appointment cancelled. Too close to cancel online: a cancellation request was sent to Business {b.Biz.Slug} for 1 appointment; they will let you know.",
            list.One("[role=status]")?.TextContent.Trim());
        Assert.Equal("cancelled", await StatusAsync(alice, b, later));
        Assert.Equal("cancellation-requested", await StatusAsync(alice, b, soon));
        Assert.Equal("confirmed", await StatusAsync(alice, b, rexs));

        // Unticked, Rex's appointment stays (and the page said nothing of appointments kept as before).
        confirm = await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={rex}");
        Assert.Equal("Also cancel this appointment", confirm.One("label[for=cancel-appointments]")?.TextContent.Trim());
        var kept = await alice.Http.SubmitAsync(confirm, PortalHtml.Fields(("CancelAppointments", "false")));
        list = await alice.Http.PageAsync(kept.Response.Headers.Location!.OriginalString);
        Assert.Equal("The pet is removed from your details.", list.One("[role=status]")?.TextContent.Trim());
        Assert.Equal("confirmed", await StatusAsync(alice, b, rexs));
    }

    [Fact]
    public async Task The_remove_pages_also_cancel_hint_says_what_the_businesss_window_does_requests_or_refusals()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["booksForPets"] = true;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "refuse" };
        });
        var alice = await App.RegisterClientAsync(b.Biz);
        var marmite = await AddPetAsync(alice, b.Biz, "Marmite");
        await BookForAsync(alice, b, At(Day(6), 10), marmite);

        // A business that refuses inside its window: no talk of a request it would decide (decision 310).
        var refuses = (await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={marmite}")).One("#cancel-how")?.TextContent.Trim();
        Assert.Equal($"Each is cancelled as if you cancelled it yourself: less than 2 days before its start, it can no longer be cancelled online and stays booked. Untick to keep it.", refuses); // no contact given: none to send the client to (decision 359)

        // One that takes requests there (for appointments booked under that policy, decision 270): the request it decides.
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "A day's notice, please.", ["insideWindow"] = "request" });
        var rex = await AddPetAsync(alice, b.Biz, "Rex");
        await BookForAsync(alice, b, At(Day(6), 14), rex);
        var asks = (await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={rex}")).One("#cancel-how")?.TextContent.Trim();
        Assert.Equal($"Each is cancelled as if you cancelled it yourself: less than 24 hours before its start, it becomes a cancellation request Business {b.Biz.Slug} decides. Untick to keep it.", asks);
    }

    [Fact]
    public async Task Removing_a_pet_cancels_only_the_appointments_the_page_listed_never_one_booked_after_it_opened()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var marmite = await AddPetAsync(alice, b.Biz, "Marmite");
        var rex = await AddPetAsync(alice, b.Biz, "Rex");
        var listed = await BookForAsync(alice, b, At(Day(6), 10), marmite);

        // Opened with one appointment listed (and Rex's page with none); then each pet gets another, in another tab.
        var marmitePage = await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={marmite}");
        Assert.Equal(1, marmitePage.All(".pet-upcoming li").Length);
        var rexPage = await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={rex}");
        Assert.Contains("stay as they are", rexPage.Text, StringComparison.Ordinal);
        var marmiteLater = await BookForAsync(alice, b, At(Day(7), 10), marmite);
        var rexLater = await BookForAsync(alice, b, At(Day(7), 14), rex);

        await alice.Http.SubmitAsync(marmitePage, PortalHtml.Fields());
        await alice.Http.SubmitAsync(rexPage, PortalHtml.Fields());
        Assert.Equal("cancelled", await StatusAsync(alice, b, listed));
        Assert.Equal("confirmed", await StatusAsync(alice, b, marmiteLater));
        Assert.Equal("confirmed", await StatusAsync(alice, b, rexLater));
    }

    [Fact]
    public async Task A_landline_is_said_to_be_one_on_the_phone_page_in_the_api_and_to_staff_and_a_mobile_is_still_taken()
    {
        var biz = await App.SignUpBusinessAsync("landline");
        var http = App.NewClient();
        var page = await http.PageAsync($"/ol/phone?name={biz.Slug}");
        var refused = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Mobile", "02 9374 4000")));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        var words = refused.ErrorFor("Input.Mobile");
        Assert.StartsWith($"That looks like a landline. Codes are sent by text, so enter a mobile number — or contact Business {biz.Slug}", words, StringComparison.Ordinal);
        Assert.EndsWith(" to book.", words, StringComparison.Ordinal);

        var api = await (await http.StartAsync(biz.Slug, "02 9374 4000")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(words, api.GetProperty("errors").GetProperty("mobile")[0].GetString());
        var bad = await (await http.StartAsync(biz.Slug, "12345")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Enter a valid mobile number.", bad.GetProperty("errors").GetProperty("mobile")[0].GetString());
        // An empty box asks for the number rather than calling it invalid, on the page and in the API, for a business
        // that books people and one that books pets alike; a typed number that is no number is still "not valid".
        var pets = await App.SignUpBusinessAsync("pets-phone");
        await pets.SettingsAsync(s => s["booksForPets"] = true);
        foreach (var slug in new[] { biz.Slug, pets.Slug })
        {
            var empty = await http.SubmitAsync(await http.PageAsync($"/ol/phone?name={slug}"), PortalHtml.Fields(("Input.Mobile", "")));
            Assert.Equal(HttpStatusCode.OK, empty.Status);
            Assert.Equal("Enter your mobile number.", empty.ErrorFor("Input.Mobile"));
            var junk = await http.SubmitAsync(await http.PageAsync($"/ol/phone?name={slug}"), PortalHtml.Fields(("Input.Mobile", "12345")));
            Assert.Equal("Enter a valid mobile number.", junk.ErrorFor("Input.Mobile"));
            var emptyApi = await (await http.StartAsync(slug, "  ")).JsonAsync(HttpStatusCode.BadRequest);
            Assert.EndsWith("/validation", emptyApi.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Equal("Enter your mobile number.", emptyApi.GetProperty("errors").GetProperty("mobile")[0].GetString());
        }

        // A US mobile typed without its area code is asked for it, with the country's example, on the page, in the API
        // and to staff (decision 356); with it, the code goes.
        var us = await App.SignUpBusinessAsync("us-phone", "America/New_York", "US");
        var local = await http.SubmitAsync(await http.PageAsync($"/ol/phone?name={us.Slug}"), PortalHtml.Fields(("Input.Mobile", "555-1234")));
        Assert.Equal("Include the area code, as in (201) 555-0123.", local.ErrorFor("Input.Mobile"));
        var localApi = await (await http.StartAsync(us.Slug, "555-1234")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Include the area code, as in (201) 555-0123.", localApi.GetProperty("errors").GetProperty("mobile")[0].GetString());
        var localStaff = await (await us.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Lo", lastName = "Cal", email = (string?)null, mobile = "555-1234" }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Include the area code, as in (201) 555-0123.", localStaff.GetProperty("errors").GetProperty("mobile")[0].GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await http.StartAsync(us.Slug, "(201) 555-1234")).StatusCode);

        var staff = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Lan", lastName = "Line", email = (string?)null, mobile = "02 9374 4000" }))
            .JsonAsync(HttpStatusCode.BadRequest);
        // Staff have somewhere to put it now (decision 292): the other phone.
        Assert.Equal("That looks like a landline. Texts go only to mobiles, so enter it as the other phone (landline; no texts), or enter a mobile number here.",
            staff.GetProperty("errors").GetProperty("mobile")[0].GetString());
    }

    [Fact]
    public async Task A_pets_too_long_notes_are_named_in_the_error_summary_and_a_date_not_shown_says_so()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var rex = await AddPetAsync(alice, b.Biz, "Rex");

        var edit = await alice.Http.PageAsync($"/ol/pets/edit?name={b.Biz.Slug}&id={rex}");
        var bad = await alice.Http.SubmitAsync(edit, PortalHtml.Fields(("Input.Notes", new string('x', 2001))));
        Assert.Equal(HttpStatusCode.OK, bad.Status);
        Assert.Equal("Notes: Use at most 2000 characters.", bad.One("#error-summary a[href='#Input_Notes']")?.TextContent.Trim());
        var list = await alice.Http.PageAsync($"/ol/pets?name={b.Biz.Slug}");
        var failed = await alice.Http.SubmitAsync(list, PortalHtml.Fields(("Input.Name", "Tom"), ("Input.Species", "cat"), ("Input.Breed", "a\nb")));
        Assert.Equal("Breed: Use one line, without line breaks or control characters.", failed.One("#error-summary a[href='#Input_Breed']")?.TextContent.Trim());

        foreach (var (date, why) in new[] { ("2026-13-45", "That is not a date we can show."), ("1999-01-01", "That date has passed.") })
        {
            var day = await alice.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={date}");
            Assert.Equal(HttpStatusCode.OK, day.Status);
            var said = day.One("#date-not-shown")?.TextContent.Trim();
            Assert.StartsWith($"{why} Here is ", said, StringComparison.Ordinal);
            Assert.EndsWith(" instead.", said, StringComparison.Ordinal);
        }

        var fine = await alice.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={Iso(Day(2))}");
        Assert.Null(fine.One("#date-not-shown"));
    }

    [Fact]
    public async Task Changing_a_verified_mobile_without_the_current_code_is_said_in_words_not_an_api_route()
    {
        var biz = await App.SignUpBusinessAsync("mobile-words");
        var old = PortalAuthHelpers.NewMobile();
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Moe", lastName = "Phone", email = (string?)null, mobile = old })).StatusCode);
        var http = App.NewClient();
        var signIn = (await (await http.StartAsync(biz.Slug, old)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await http.VerifyAsync(biz.Slug, signIn, await http.CodeSentToAsync(old))).StatusCode);
        var page = await http.PageAsync($"/ol/account/mobile?name={biz.Slug}");
        var refused = await http.SubmitAsync(page, PortalHtml.Fields(("Input.Mobile", PortalAuthHelpers.NewMobile())));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        var summary = refused.One("#error-summary")?.TextContent;
        Assert.Contains("To change your verified mobile, first choose “Text my current mobile a code”", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", refused.One("main")?.TextContent, StringComparison.Ordinal);
    }

    private static string Iso(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
