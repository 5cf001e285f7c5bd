using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Decision 359 (after decision 355): where a client's own appointment cannot be changed online (Change time, Cancel,
/// My appointments, the booking page's policy), and in the API's <c>slot-unavailable</c> details, the portal sends the
/// client to contact the business only when it gave a phone, email or address, shown right there; without one it says
/// the business gave none here. Change time names the one diary offering the service instead of a select, and
/// /ol/register says above its form that nothing can be booked online at the moment.
/// </summary>
public sealed class AppointmentContactWordsTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private const string Phone = "02 9876 5432";

    private static Task ContactAsync(TestBusiness biz, bool withContact) =>
        biz.SettingsAsync(s => s["contact"] = withContact ? new JsonObject { ["phone"] = Phone, ["email"] = null } : new JsonObject { ["phone"] = null, ["email"] = null });

    private static string NoContact(TestBusiness biz) => $"Business {biz.Slug} hasn't given a phone number or email address here.";

    private static async Task<Guid> BookedAsync(PortalClient client, Bookable b, string start) =>
        (await (await client.BookAsync(b, start)).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_service_no_longer_offered_online_sends_to_the_business_on_Change_time_My_appointments_and_in_the_API_only_with_a_contact(bool withContact)
    {
        var b = await App.BookableAsync();
        await ContactAsync(b.Biz, withContact);
        var name = $"Business {b.Biz.Slug}";
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", Setup.SetupApi.ServiceBody("Consultation", [b.DiaryId], bookableOnline: false)))
            .JsonAsync(HttpStatusCode.OK);

        var move = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");
        var why = move.One("#cannot-move")!.TextContent.Trim();
        Assert.StartsWith($"{name} no longer offers Consultation online, so you cannot change this appointment's time here. Your appointment stays as it is. ", why, StringComparison.Ordinal);
        var list = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var refused = await (await mary.Http.PostAsJsonAsync($"/api/v1/portal/appointments/{id}/move?name={b.Biz.Slug}", new { start = At(Day(4), 10) }))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", Setup.SetupApi.Kind(refused));
        var detail = refused.GetProperty("detail").GetString();
        if (withContact)
        {
            Assert.EndsWith($"To change it, please contact {name}.", why, StringComparison.Ordinal);
            Assert.Contains("Phone: (02) 9876 5432", move.One("main .business-contact")?.TextContent, StringComparison.Ordinal);
            Assert.NotNull(list.One("#not-movable-contact"));
            Assert.Null(list.One("#no-contact"));
            Assert.Equal("This service cannot be booked online any more. To change the time, contact the business.", detail);
        }
        else
        {
            Assert.EndsWith($"as it is. {NoContact(b.Biz)}", why, StringComparison.Ordinal);
            Assert.Null(move.One(".business-contact"));
            Assert.DoesNotContain("contact", move.One("main")!.TextContent, StringComparison.OrdinalIgnoreCase);
            Assert.Null(list.One("#not-movable-contact"));
            Assert.Equal(NoContact(b.Biz), list.One("#no-contact")?.TextContent.Trim());
            Assert.DoesNotContain("contact", list.One("#upcoming")!.ParentElement!.TextContent, StringComparison.OrdinalIgnoreCase);
            Assert.Equal($"This service cannot be booked online any more, so this appointment's time cannot be changed online. {NoContact(b.Biz)}", detail);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_cancelling_off_My_appointments_Change_time_and_the_booking_page_send_to_the_business_only_with_a_contact(bool withContact)
    {
        var b = await App.BookableAsync();
        await ContactAsync(b.Biz, withContact);
        var name = $"Business {b.Biz.Slug}";
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));
        await b.Biz.SettingsAsync(s => s["accessLevels"]!["cancel"] = false);

        var list = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var move = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");
        var start = (await mary.Http.SlotsAsync(b, Day(4), Day(4))).Starts()[2];
        var confirm = await mary.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(Iso(start))}");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        var cancelOff = confirm.One("#cancel-off")!.TextContent.Trim();
        if (withContact)
        {
            Assert.Equal($"To cancel or change an appointment, please contact {name}.", list.One("#cancel-off")?.TextContent.Trim());
            Assert.Equal($"{name} does not let clients change appointment times online. To change it, please contact them.", move.One("#cannot-move")?.TextContent.Trim());
            Assert.NotNull(move.One("main .business-contact a[href^='tel:']"));
            Assert.Equal($"{name} does not let clients cancel online: to cancel, contact the business.", cancelOff);
            Assert.Equal("business-contact", confirm.One("#cancel-off")!.NextElementSibling?.ClassName);
        }
        else
        {
            Assert.Equal($"Appointments cannot be cancelled or changed online. {NoContact(b.Biz)}", list.One("#cancel-off")?.TextContent.Trim());
            Assert.Equal($"{name} does not let clients change appointment times online. {NoContact(b.Biz)}", move.One("#cannot-move")?.TextContent.Trim());
            Assert.Equal($"{name} does not let clients cancel online. {NoContact(b.Biz)}", cancelOff);
            foreach (var page in new[] { list, move, confirm })
            {
                Assert.Null(page.One(".business-contact"));
                Assert.DoesNotContain("contact them", page.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("contact the business", page.Text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Too_late_to_cancel_or_change_Cancel_Change_time_and_My_appointments_send_to_the_business_only_with_a_contact(bool withContact)
    {
        var b = await App.BookableAsync();
        await ContactAsync(b.Biz, withContact);
        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "refuse" });
        var name = $"Business {b.Biz.Slug}";
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(1), 10)); // inside the two days

        var cancel = await mary.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        Assert.Contains("It is too late to cancel this appointment online.", cancel.One("main")!.TextContent, StringComparison.Ordinal);
        var move = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}");
        var why = move.One("#cannot-move")!.TextContent.Trim();
        Assert.StartsWith("It is too late to change this appointment online: it is within ", why, StringComparison.Ordinal);
        var list = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        var window = list.One("#too-late-contact")!.TextContent.Trim();
        Assert.StartsWith("Online cancelling closes ", window, StringComparison.Ordinal);
        if (withContact)
        {
            Assert.Equal($"To change or cancel it, contact {name}.", cancel.One("#cancel-contact")?.TextContent.Trim());
            Assert.Equal("business-contact", cancel.One("#cancel-contact")!.NextElementSibling?.ClassName);
            Assert.EndsWith($"To change it, please contact {name}.", why, StringComparison.Ordinal);
            Assert.NotNull(move.One("main .business-contact"));
            Assert.EndsWith($"To cancel one marked \u201cToo late to cancel online\u201d, contact {name}.", window, StringComparison.Ordinal);
            Assert.Null(list.One("#no-contact"));
        }
        else
        {
            Assert.Equal(NoContact(b.Biz), cancel.One("#cancel-contact")?.TextContent.Trim());
            Assert.EndsWith($"of its start. {NoContact(b.Biz)}", why, StringComparison.Ordinal);
            Assert.EndsWith("before an appointment's start.", window, StringComparison.Ordinal);
            Assert.Equal(NoContact(b.Biz), list.One("#no-contact")?.TextContent.Trim());
            foreach (var page in new[] { cancel, move, list })
            {
                Assert.Null(page.One(".business-contact"));
                Assert.DoesNotContain("contact", page.One("main")!.TextContent, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_appointment_on_a_closed_day_asks_the_client_to_contact_the_business_only_with_a_contact(bool withContact)
    {
        var b = await App.BookableAsync();
        await ContactAsync(b.Biz, withContact);
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        await BookedAsync(mary, b, At(Day(3), 10));
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/closed-days", new { from = SchedulingApi.Iso(Day(3)), to = SchedulingApi.Iso(Day(3)), label = "Flood" }))
            .JsonAsync(HttpStatusCode.Created);

        var list = await mary.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.NotNull(list.One(".closed-day"));
        if (withContact)
        {
            Assert.Equal($"To ask about an appointment on a day Business {b.Biz.Slug} has since closed, contact them.", list.One("#closed-day-contact")?.TextContent.Trim());
            Assert.NotNull(list.One("#closed-day-contact ~ .business-contact"));
        }
        else
        {
            Assert.Null(list.One("#closed-day-contact"));
            Assert.Equal(NoContact(b.Biz), list.One("#no-contact")?.TextContent.Trim());
            Assert.Null(list.One(".business-contact"));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_booking_while_nothing_is_bookable_is_refused_with_the_contact_words_only_with_a_contact(bool withContact)
    {
        // A service offered by a diary with no online hours: nothing can be booked.
        var biz = await App.SignUpBusinessAsync("nocontact-api");
        await ContactAsync(biz, withContact);
        var diary = await Setup.SetupApi.CreateDiaryAsync(biz, "Dr Later");
        var service = await Setup.SetupApi.CreateServiceAsync(biz, "Consultation", diary);
        var client = await App.RegisterClientAsync(biz);

        var refused = await (await client.BookAsync(new Bookable(biz, diary, service), At(Day(1), 10))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", Setup.SetupApi.Kind(refused));
        Assert.Equal("nothing-bookable", refused.GetProperty("reason").GetString());
        Assert.Equal(withContact
            ? $"Business {biz.Slug} isn't taking online bookings at the moment. To book an appointment, please contact them."
            : $"Business {biz.Slug} isn't taking online bookings at the moment. Business {biz.Slug} hasn't given a phone number or email address here, so please check this page again later.",
            refused.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Removing_a_pet_with_cancelling_off_asks_to_contact_the_business_only_with_its_contact_right_there(bool withContact)
    {
        var b = await App.BookableAsync();
        await ContactAsync(b.Biz, withContact);
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var alice = await App.RegisterClientAsync(b.Biz);
        var rex = (await (await alice.Http.PostAsJsonAsync($"/api/v1/portal/me/pets?name={b.Biz.Slug}", new { name = "Rex", species = "dog" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await alice.Http.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(6), 10), petId = rex, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        await b.Biz.SettingsAsync(s => s["accessLevels"]!["cancel"] = false);

        var page = await alice.Http.PageAsync($"/ol/pets/remove?name={b.Biz.Slug}&id={rex}");
        var stays = page.One("#stays-booked")!.TextContent.Trim();
        if (withContact)
        {
            Assert.Equal($"It stays booked: Business {b.Biz.Slug} does not take cancellations online, so please contact them to cancel.", stays);
            Assert.Equal("business-contact", page.One("#stays-booked")!.NextElementSibling?.ClassName);
        }
        else
        {
            Assert.Equal($"It stays booked: Business {b.Biz.Slug} does not take cancellations online. {NoContact(b.Biz)}", stays);
            Assert.Null(page.One(".business-contact"));
        }
    }

    [Fact]
    public async Task Change_time_names_the_one_diary_offering_the_service_instead_of_a_select()
    {
        var b = await App.BookableAsync();
        var mary = await App.RegisterClientAsync(b.Biz, "Mary");
        var id = await BookedAsync(mary, b, At(Day(3), 10));

        var page = await mary.Http.PageAsync($"/ol/move?name={b.Biz.Slug}&id={id}&date={SchedulingApi.Iso(Day(4))}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("With: Dr Alpha", page.One("#pick-day #only-diary")?.TextContent.Trim());
        Assert.Null(page.One("#diary"));
        Assert.DoesNotContain("Anyone available", page.One("main")!.TextContent, StringComparison.Ordinal);
        // The day form still works without the select: its times are the one diary's.
        var slot = page.All("#slots a.slot").First();
        var confirm = await mary.Http.PageAsync(WebUtility.HtmlDecode(slot.GetAttribute("href")!));
        Assert.NotNull(confirm.One("#move-form"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Register_says_above_its_form_that_nothing_can_be_booked_online_with_the_contact_where_there_is_one(bool withContact)
    {
        var biz = await App.SignUpBusinessAsync("reg-nothing");
        await ContactAsync(biz, withContact);
        var visitor = App.NewClient();

        var page = await visitor.PageAsync($"/ol/register?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var notice = page.One("main #not-bookable");
        Assert.NotNull(notice);
        var main = page.One("main")!.TextContent;
        Assert.True(main.IndexOf("isn't taking online bookings", StringComparison.Ordinal) < main.IndexOf("First name", StringComparison.Ordinal)); // before the form
        var words = notice.QuerySelector("p.not-bookable")!.TextContent.Trim();
        Assert.StartsWith($"Business {biz.Slug} isn't taking online bookings at the moment.", words, StringComparison.Ordinal);
        if (withContact)
        {
            Assert.EndsWith("To book an appointment, please contact them:", words, StringComparison.Ordinal);
            Assert.Contains("Phone: (02) 9876 5432", notice.QuerySelector(".business-contact")?.TextContent, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith("hasn't given a phone number or email address here, so please check this page again later.", words, StringComparison.Ordinal);
            Assert.Null(page.One(".business-contact"));
        }

        // The form and the way to sign in stay; a business with something to book shows no such notice.
        Assert.NotNull(page.One("main form input[type=password]"));
        Assert.NotNull(page.One("main a[href^='/ol/sign-in']"));
        var bookable = await App.BookableAsync();
        var open = await visitor.PageAsync($"/ol/register?name={bookable.Biz.Slug}");
        Assert.Null(open.One("#not-bookable"));
        Assert.NotNull(open.One("main form input[type=password]"));
    }
}
