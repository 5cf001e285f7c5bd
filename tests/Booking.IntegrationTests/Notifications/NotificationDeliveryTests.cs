using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Booking.Appointments.Contracts;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Contracts;
using Ical.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Booking.IntegrationTests.Notifications;

/// <summary>Events in, real SMTP out (python3-aiosmtpd on loopback).</summary>
[Collection(NotificationAppsCollection.Name)]
public sealed class NotificationDeliveryTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    // 2026-03-11 10:00 in Sydney (AEDT, +11).
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(1);

    private async Task<NotifyScene> SceneAsync(string firstName = "Ana", string? clientEmail = null)
    {
        var biz = await fixture.App.SignUpBusinessAsync("notify");
        // The sign-up's "Confirm your email" to the owner: out of the log (sent or not), so each test sees only its own messages.
        try
        {
            await Eventually.ReturnsAsync(
                () => Sql.AdminScalarAsync<long>(fixture.App.Database.Database,
                    "select count(*) from notifications.outbound_messages where tenant_id = @t and kind = 'staff-email-verification'", ("t", biz.Id)),
                // 180 s: once in a full CI run on a loaded 2-core machine the row took over 60 s to appear (session 36).
                n => n == 1, TimeSpan.FromSeconds(180), "the sign-up's confirmation email");
        }
        catch (TimeoutException ex)
        {
            // Which stage held the sign-up's events: the outbox, a Hangfire job (and its failures), or the consumer.
            throw new TimeoutException(ex.Message + "\n" + await EventTrail.DescribeAsync(fixture.App, "tenancy", biz.Id), ex);
        }

        await Sql.AdminExecAsync(fixture.App.Database.Database, "delete from notifications.outbound_messages where tenant_id = @t", ("t", biz.Id));
        // The booking emails off until a test saves its own choices (decision 352: a business that never saved them has
        // its diary contact emailed), so each test's diary contact hears only of what that test switched on.
        await biz.BookingEmailsOffAsync();
        return await NotifyScene.Create(biz, firstName, clientEmail).ContactConfirmedAsync(fixture.App);
    }

    private Task<IReadOnlyList<MimeMessage>> MailAsync(string to, int count = 1) =>
        Eventually.ReturnsAsync(() => Task.FromResult(fixture.Smtp.MessagesTo(to)), m => m.Count >= count, TimeSpan.FromSeconds(60), $"{count} email(s) to {to}");

    private static AppointmentBooked Booked(NotifyScene s, string source, Guid? appointmentId = null) =>
        new(Guid.NewGuid(), s.Business.Id, appointmentId ?? Guid.NewGuid(), s.ClientId, null, s.DiaryId, s.ServiceId, Start, End, source);

    private static string CalendarOf(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Portal_booking_sends_the_diary_contact_the_chosen_template_the_extra_addresses_theirs_and_the_client_an_ics()
    {
        var s = await SceneAsync(firstName: "Ana <b>&");
        var diaryTemplate = await s.CreateTemplateAsync("Diary new", "Booked: {ClientFullName}",
            "{ClientFullName} ({ClientMobilePhone}, {ClientEmail}) booked {ServiceName} with {DiaryName} at {BusinessName}: {AppointmentStartDateTime} to {AppointmentEndDateTime}. {PortalUrl}");
        var extraTemplate = await s.CreateTemplateAsync("Extra new", "FYI {ServiceName}", "Heads up: {ClientFirstName} at {NextAppointmentStartDateTime}");
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] extras = [$"front-{tag}@example.com", $"boss-{tag}@example.com"];
        await fixture.App.ConfirmAddressesAsync(s.Business.Id, extras);
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = diaryTemplate },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = extras, templateId = extraTemplate },
            includeStaffChanges = false,
        });

        var evt = Booked(s, ChangeSources.Portal) with { ChangedAt = Start.AddDays(-2).AddSeconds(0.5) };
        NotificationsTestApp.Deliver(fixture.App, evt);

        var diary = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("Booked: Ana <b>& O'Neil", diary.Subject);
        Assert.Contains("Ana <b>& O'Neil (0412 000 111, " + s.ClientEmail + ") booked Deep tissue massage with Dr Lee at Business " + s.Business.Slug
            + ": Wednesday 11 March 2026 at 10:00 AM AEDT to Wednesday 11 March 2026 at 11:00 AM AEDT. https://booking.test/ol/book?name=" + s.Business.Slug, diary.TextBody, StringComparison.Ordinal);
        // The HTML part: values encoded, the business's colour and logo in the Razor layout.
        Assert.Contains("Ana &lt;b&gt;&amp; O&#39;Neil", diary.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana <b>", diary.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("#0a7d5a", diary.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"https://booking.test/branding/logo?name={s.Business.Slug}&amp;v={NotificationsTestApp.LogoVersion}", diary.HtmlBody, StringComparison.Ordinal);

        foreach (var extra in extras)
        {
            var mail = Assert.Single(await MailAsync(extra));
            Assert.Equal("FYI Deep tissue massage", mail.Subject);
            Assert.Contains("Heads up: Ana <b>& at Wednesday 11 March 2026 at 10:00 AM AEDT", mail.TextBody, StringComparison.Ordinal);
        }

        var client = Assert.Single(await MailAsync(s.ClientEmail));
        var calendar = Calendar.Load(CalendarOf(client))!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Contains(calendar.TimeZones, z => z.TzId == "Australia/Sydney");
        var appointment = Assert.Single(calendar.Events);
        Assert.Equal($"appointment-{evt.AppointmentId:N}@booking", appointment.Uid);
        Assert.Equal("Australia/Sydney", appointment.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 3, 11, 10, 0, 0), appointment.DtStart.Value);
        Assert.Equal(new DateTime(2026, 3, 11, 11, 0, 0), appointment.DtEnd!.Value);
        Assert.Equal(Start.UtcDateTime, appointment.DtStart.AsUtc);
        // SEQUENCE: the booking's time in whole seconds since the origin (decision 268).
        Assert.Equal((int)(Start.AddDays(-2) - Booking.Notifications.Rendering.CalendarInvite.SequenceOrigin).TotalSeconds, appointment.Sequence);
    }

    [Fact]
    public async Task A_template_with_PetName_names_the_pet_and_leaves_out_its_line_when_the_appointment_has_none()
    {
        var s = await SceneAsync();
        // Saving accepts {PetName} (it is a template field).
        var template = await s.CreateTemplateAsync("Diary new pet", "New: {ClientFullName} {PetName}", "Booked {ServiceName}\nPet: {PetName}\nAt {AppointmentStartDateTime}");
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = template },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });

        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal) with { PetId = s.PetId });
        var withPet = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("New: Ana O'Neil Rex", withPet.Subject);
        Assert.Contains("Booked Deep tissue massage\nPet: Rex\nAt Wednesday", withPet.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        var without = (await MailAsync(s.DiaryContact, 2)).Single(m => m.MessageId != withPet.MessageId);
        Assert.Contains("Booked Deep tissue massage\nAt Wednesday", without.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("Pet:", without.TextBody, StringComparison.Ordinal);

        // A pet the client has since removed is still named (GetPetNames).
        var removed = Guid.NewGuid();
        TestFacts.RemovedPets[removed] = "Bella";
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal) with { PetId = removed });
        var mails = await MailAsync(s.DiaryContact, 3);
        Assert.Single(mails, m => m.TextBody!.ReplaceLineEndings("\n").Contains("\nPet: Bella\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_default_diary_contact_text_gives_the_pets_notes_under_its_name_and_leaves_the_line_out_without()
    {
        var s = await SceneAsync();
        var (_, subject, body) = Booking.Notifications.Features.DefaultTemplates.DefaultTemplateTexts.DiaryContactNew;
        var template = await s.CreateTemplateAsync("Diary new pet notes", subject, body);
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = template },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });

        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal) with { PetId = s.PetId });
        var withPet = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Contains("\nPet: Rex\nPet notes: Bites when nervous\n", withPet.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        var without = (await MailAsync(s.DiaryContact, 2)).Single(m => m.MessageId != withPet.MessageId);
        Assert.DoesNotContain("Pet notes:", without.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_with_AppointmentTimes_writes_the_date_once_and_the_times_joined()
    {
        var s = await SceneAsync();
        // Saving accepts {AppointmentTimes} (a template field since decision 205).
        var template = await s.CreateTemplateAsync("Diary new times", "New: {AppointmentTimes}", "Booked {ServiceName}\nWhen: {AppointmentTimes}\nEnd");
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = template },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });

        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        var mail = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("New: Wednesday 11 March 2026, 10:00–11:00 AM AEDT", mail.Subject);
        Assert.Contains("Booked Deep tissue massage\nWhen: Wednesday 11 March 2026, 10:00–11:00 AM AEDT\nEnd", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("When: Wednesday 11 March 2026, 10:00–11:00 AM AEDT", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_built_in_emails_and_the_ics_name_the_pet_and_say_nothing_of_one_when_there_is_none()
    {
        var s = await SceneAsync();
        NotificationsTestApp.Deliver(fixture.App, new BookingRequested(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, s.PetId));
        // A request, its receipt and a confirmation give the start and end with the date once; a cancellation the start.
        const string Named = "Deep tissue massage with Dr Lee\nFor: Rex\nWednesday 11 March 2026, 10:00–11:00 AM AEDT\n";
        const string NamedStart = "Deep tissue massage with Dr Lee\nFor: Rex\nWednesday 11 March 2026 at 10:00 AM AEDT\n";
        var staff = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("Booking request: Ana O'Neil", staff.Subject);
        Assert.Contains(Named, staff.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(Named, Assert.Single(await MailAsync(s.ClientEmail)).TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var appointmentId = Guid.NewGuid();
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal, appointmentId) with { PetId = s.PetId });
        var confirmed = (await MailAsync(s.ClientEmail, 2)).Single(m => m.Subject!.EndsWith("is confirmed", StringComparison.Ordinal));
        Assert.Contains(Named, confirmed.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("Deep tissue massage for Rex with Dr Lee", Calendar.Load(CalendarOf(confirmed))!.Events.Single().Summary);

        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, appointmentId, s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, null, "confirmed", PetId: s.PetId));
        var cancelled = (await MailAsync(s.ClientEmail, 3)).Single(m => m.Subject!.EndsWith("is cancelled", StringComparison.Ordinal));
        Assert.Contains(NamedStart, cancelled.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("Deep tissue massage for Rex with Dr Lee", Calendar.Load(CalendarOf(cancelled))!.Events.Single().Summary);

        // No pet: no "For:" line, the summary as before.
        var other = NotifyScene.Create(s.Business);
        NotificationsTestApp.Deliver(fixture.App, Booked(other, ChangeSources.Portal));
        var plain = Assert.Single(await MailAsync(other.ClientEmail));
        Assert.Contains("Deep tissue massage with Dr Lee\nWednesday 11 March 2026, 10:00–11:00 AM AEDT\n", plain.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("For:", plain.TextBody, StringComparison.Ordinal);
        Assert.Equal("Deep tissue massage with Dr Lee", Calendar.Load(CalendarOf(plain))!.Events.Single().Summary);
    }

    [Fact]
    public async Task Staff_made_booking_sends_the_diary_contact_nothing_unless_the_business_opted_in()
    {
        var s = await SceneAsync();
        var settings = new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        };
        await s.PutSettingsAsync(settings);
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Staff));
        await MailAsync(s.ClientEmail); // the client's confirmation went out, so the event was handled
        await Task.Delay(1000);
        Assert.Empty(fixture.Smtp.MessagesTo(s.DiaryContact));

        await s.PutSettingsAsync(settings with { includeStaffChanges = true });
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Staff));
        var mail = Assert.Single(await MailAsync(s.DiaryContact));
        // No template chosen: the default text, which says who made it ({ChangedBy}), not "via the client portal".
        Assert.Contains($"Ana O'Neil (0412 000 111, {s.ClientEmail}) has a new appointment, made by a staff member:\nDeep tissue massage with Dr Lee\nWednesday 11 March 2026, 10:00–11:00 AM AEDT", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portal_cancellation_sends_the_diary_contact_the_template_and_the_client_a_cancel_ics_with_the_same_uid()
    {
        var s = await SceneAsync();
        var template = await s.CreateTemplateAsync("Diary cancel", "Cancelled: {ClientFullName}", "Reason: {CancellationReason}; was {AppointmentStartDateTime}");
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = false, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = template },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = false,
        });
        var appointmentId = Guid.NewGuid();
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal, appointmentId));
        var booked = Assert.Single(await MailAsync(s.ClientEmail));

        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, appointmentId, s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, "Sick <kid>"));
        var diary = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("Cancelled: Ana O'Neil", diary.Subject);
        Assert.Contains("Reason: Sick <kid>; was Wednesday 11 March 2026 at 10:00 AM AEDT", diary.TextBody, StringComparison.Ordinal);
        Assert.Contains("Sick &lt;kid&gt;", diary.HtmlBody, StringComparison.Ordinal);

        var mails = await MailAsync(s.ClientEmail, 2);
        var cancelled = mails.Single(m => m.MessageId != booked.MessageId);
        var calendar = Calendar.Load(CalendarOf(cancelled))!;
        var original = Calendar.Load(CalendarOf(booked))!;
        Assert.Equal("PUBLISH", calendar.Method); // decision 350: published cancelled, as the booking was published
        Assert.Equal(original.Events.Single().Uid, calendar.Events.Single().Uid);
        Assert.True(calendar.Events.Single().Sequence > original.Events.Single().Sequence);
        Assert.Equal("CANCELLED", calendar.Events.Single().Status);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_sends_one_email()
    {
        var s = await SceneAsync();
        var evt = Booked(s, ChangeSources.Portal);
        NotificationsTestApp.Deliver(fixture.App, evt);
        NotificationsTestApp.Deliver(fixture.App, evt);
        await MailAsync(s.ClientEmail);
        NotificationsTestApp.Deliver(fixture.App, evt);
        await Task.Delay(2500);
        Assert.Single(fixture.Smtp.MessagesTo(s.ClientEmail));
    }

    [Fact]
    public async Task A_decision_event_written_before_it_carried_the_times_still_emails_the_client_without_an_ics()
    {
        var s = await SceneAsync();
        NotificationsTestApp.Deliver(fixture.App, new BookingRequestDecided(Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, "booking", false, "Fully booked"));
        var mail = Assert.Single(await MailAsync(s.ClientEmail));
        Assert.Equal($"Business {s.Business.Slug} declined your booking request", mail.Subject);
        Assert.Contains("Reason: Fully booked", mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
    }

    private static BookingRequestDecided Decided(NotifyScene s, Guid appointmentId, string kind, bool accepted, string? reason = null) =>
        new(Guid.NewGuid(), s.Business.Id, appointmentId, s.ClientId, kind, accepted, reason, s.DiaryId, s.ServiceId, Start, End);

    private async Task<IReadOnlyList<MimeMessage>> OnlyMailAsync(string to, int count = 1)
    {
        await MailAsync(to, count);
        await Task.Delay(1500); // time for a second email to arrive, if one were sent
        var mails = fixture.Smtp.MessagesTo(to);
        Assert.Equal(count, mails.Count);
        return mails;
    }

    [Fact]
    public async Task An_accepted_booking_request_is_told_to_the_client_once_by_one_email_with_the_appointments_ics()
    {
        var s = await SceneAsync();
        var appointmentId = Guid.NewGuid();
        // What accepting writes: the decision and the booking, in one transaction.
        NotificationsTestApp.Deliver(fixture.App, Decided(s, appointmentId, "booking", accepted: true));
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal, appointmentId) with { PreviousStatus = "requested" });
        var mail = Assert.Single(await OnlyMailAsync(s.ClientEmail));
        Assert.Equal($"Business {s.Business.Slug} accepted your booking request", mail.Subject);
        Assert.Contains("Deep tissue massage with Dr Lee", mail.TextBody, StringComparison.Ordinal);
        var calendar = Calendar.Load(CalendarOf(mail))!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal($"appointment-{appointmentId:N}@booking", calendar.Events.Single().Uid);
        Assert.Equal(Start.UtcDateTime, calendar.Events.Single().DtStart!.AsUtc);
    }

    [Fact]
    public async Task An_accepted_cancellation_request_is_one_email_naming_the_appointment_with_a_cancel_ics()
    {
        var s = await SceneAsync();
        var appointmentId = Guid.NewGuid();
        NotificationsTestApp.Deliver(fixture.App, Decided(s, appointmentId, "cancellation", accepted: true));
        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, appointmentId, s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, "Away", "cancellation-requested"));
        var mail = Assert.Single(await OnlyMailAsync(s.ClientEmail));
        Assert.Equal($"Business {s.Business.Slug} accepted your cancellation request", mail.Subject);
        Assert.Contains("Deep tissue massage with Dr Lee\nWednesday 11 March 2026 at 10:00 AM AEDT", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var calendar = Calendar.Load(CalendarOf(mail))!;
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal("CANCELLED", calendar.Events.Single().Status);
        Assert.Equal($"appointment-{appointmentId:N}@booking", calendar.Events.Single().Uid);
    }

    [Fact]
    public async Task A_declined_cancellation_request_names_the_appointment_and_the_reason()
    {
        var s = await SceneAsync();
        NotificationsTestApp.Deliver(fixture.App, Decided(s, Guid.NewGuid(), "cancellation", accepted: false, "Inside 24 hours"));
        var mail = Assert.Single(await MailAsync(s.ClientEmail));
        Assert.Equal($"Business {s.Business.Slug} declined your cancellation request", mail.Subject);
        Assert.Contains("Deep tissue massage with Dr Lee\nWednesday 11 March 2026 at 10:00 AM AEDT\nReason: Inside 24 hours", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
    }

    [Fact]
    public async Task The_diary_contact_also_on_the_extra_address_list_gets_one_email()
    {
        var s = await SceneAsync();
        // The diary's contact written in another case and with spaces; the settings hold it lower-cased.
        var diary = TestFacts.Diaries[s.DiaryId];
        TestFacts.Diaries[s.DiaryId] = diary with { ContactEmail = "  " + diary.ContactEmail.ToUpperInvariant() + " " };
        var other = $"front-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        await fixture.App.ConfirmAddressesAsync(s.Business.Id, s.DiaryContact, other);
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = new[] { s.DiaryContact, other }, templateId = (Guid?)null },
            includeStaffChanges = false,
        });
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        Assert.Single(await MailAsync(other));
        var mail = Assert.Single(await OnlyMailAsync(s.DiaryContact));
        Assert.Contains("made by the client", mail.TextBody, StringComparison.Ordinal); // the diary contact's own (template) email
    }

    [Fact]
    public async Task A_withdrawn_booking_request_tells_the_client_without_an_ics_and_the_diary_contact_it_is_withdrawn()
    {
        var s = await SceneAsync();
        await s.Business.NotifyDiaryContactAsync(onNew: true, onCancelled: true, includeStaffChanges: true);
        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, null, "requested"));
        var mail = Assert.Single(await OnlyMailAsync(s.ClientEmail));
        Assert.Equal($"You withdrew your booking request to Business {s.Business.Slug}", mail.Subject);
        Assert.Contains("Deep tissue massage with Dr Lee\nWednesday 11 March 2026 at 10:00 AM AEDT", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
        // Review J9: not the "cancelled appointment" template, but the request's own retraction.
        var told = Assert.Single(await OnlyMailAsync(s.DiaryContact));
        Assert.Equal("Booking request withdrawn: Ana O'Neil", told.Subject);
        Assert.Empty(told.Attachments);
    }

    [Fact]
    public async Task A_booking_request_cancelled_by_staff_tells_the_client_the_request_is_cancelled_without_an_ics()
    {
        var s = await SceneAsync();
        await s.Business.NotifyDiaryContactAsync(onNew: true, onCancelled: true, includeStaffChanges: true);
        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Staff, "Closed that day", "requested"));
        var mail = Assert.Single(await OnlyMailAsync(s.ClientEmail));
        Assert.Equal($"Business {s.Business.Slug} cancelled your booking request", mail.Subject);
        Assert.Contains("Reason: Closed that day", mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
    }

    [Fact]
    public async Task A_staff_change_made_after_the_start_is_not_emailed_to_the_client_but_a_decision_on_their_request_is()
    {
        var s = await SceneAsync();
        await s.Business.NotifyDiaryContactAsync(onNew: true, onCancelled: true, includeStaffChanges: true);

        // Staff record a visit an hour after it began, and cancel another a day after it: not news to the client.
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Staff) with { ChangedAt = Start.AddHours(1) });
        NotificationsTestApp.Deliver(fixture.App, new AppointmentCancelled(
            Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Staff, "Tidy-up", "confirmed", Start.AddDays(1)));
        // The same staff booking made the day before is news; so is staff accepting the client's request, however late.
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Staff) with { ChangedAt = Start.AddDays(-1) });
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal) with { PreviousStatus = "requested", ChangedAt = Start.AddHours(2) });

        var client = await OnlyMailAsync(s.ClientEmail, 2);
        Assert.Equal(
            [$"Business {s.Business.Slug} accepted your booking request", $"Your appointment with Business {s.Business.Slug} is confirmed"],
            client.Select(m => m.Subject).Order(StringComparer.Ordinal).ToList());

        // The diary contact, who opted in to staff changes, still hears of all four.
        Assert.Equal(4, (await OnlyMailAsync(s.DiaryContact, 4)).Count);
    }

    [Fact]
    public async Task A_template_may_say_who_made_the_change()
    {
        var s = await SceneAsync();
        var template = await s.CreateTemplateAsync("Who", "Cancelled by {ChangedBy}", "{ClientFullName}: cancelled by {ChangedBy}");
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = false, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = true, templateId = template },
            extraAddressesOnNew = new { addresses = Array.Empty<string>(), templateId = (Guid?)null },
            includeStaffChanges = true,
        });
        AppointmentCancelled Cancelled(string source, string? previous) =>
            new(Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, s.DiaryId, s.ServiceId, Start, End, source, null, previous);
        NotificationsTestApp.Deliver(fixture.App, Cancelled(ChangeSources.Portal, "confirmed"));
        NotificationsTestApp.Deliver(fixture.App, Cancelled(ChangeSources.Staff, "confirmed"));
        NotificationsTestApp.Deliver(fixture.App, Cancelled(ChangeSources.Portal, "cancellation-requested"));
        var subjects = (await MailAsync(s.DiaryContact, 3)).Select(m => m.Subject).Order().ToList();
        Assert.Equal(["Cancelled by a staff member", "Cancelled by the client", "Cancelled by the client, on a request staff accepted"], subjects);
    }

    [Fact]
    public async Task A_cancellation_without_a_reason_prints_no_empty_reason_line_and_one_with_a_reason_keeps_it()
    {
        var s = await SceneAsync();
        await s.Business.NotifyDiaryContactAsync(onNew: false, onCancelled: true, includeStaffChanges: false);
        AppointmentCancelled Cancelled(string? reason) =>
            new(Guid.NewGuid(), s.Business.Id, Guid.NewGuid(), s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, reason, "confirmed");
        NotificationsTestApp.Deliver(fixture.App, Cancelled(null));
        NotificationsTestApp.Deliver(fixture.App, Cancelled("Flu"));

        // The default diary-contact template (seed 000) and the built-in client text both have a "Reason:" line.
        foreach (var to in new[] { s.DiaryContact, s.ClientEmail })
        {
            var mails = await MailAsync(to, 2);
            var bodies = mails.Select(m => m.TextBody!.ReplaceLineEndings("\n")).ToList();
            Assert.Single(bodies, b => b.Contains("\nReason: Flu", StringComparison.Ordinal));
            var without = Assert.Single(bodies, b => !b.Contains("Flu", StringComparison.Ordinal));
            Assert.DoesNotContain("Reason:", without, StringComparison.Ordinal);
            Assert.Contains("11 March 2026 at 10:00 AM AEDT", without, StringComparison.Ordinal);
            Assert.DoesNotContain("Reason:", mails.Single(m => !m.TextBody!.Contains("Flu", StringComparison.Ordinal)).HtmlBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_booking_request_emails_the_diary_contact_a_link_to_the_appointment_on_the_public_origin()
    {
        var s = await SceneAsync();
        var appointment = Guid.NewGuid();
        NotificationsTestApp.Deliver(fixture.App, new BookingRequested(
            Guid.NewGuid(), s.Business.Id, appointment, s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal));
        var staff = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("Booking request: Ana O'Neil", staff.Subject);
        Assert.Contains("Deep tissue massage with Dr Lee\nWednesday 11 March 2026, 10:00–11:00 AM AEDT\n", staff.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // The contact is not an owner or admin, who alone open Requests: the appointment's page in the diary (decision 251).
        Assert.Contains($"https://booking.test/staff/diary/appointments/{appointment}?name={s.Business.Slug}", staff.TextBody, StringComparison.Ordinal);
        Assert.Equal($"Business {s.Business.Slug} received your booking request", Assert.Single(await MailAsync(s.ClientEmail)).Subject);
    }

    [Fact]
    public async Task A_cancellation_request_emails_the_diary_contact_and_acknowledges_it_to_the_client()
    {
        var s = await SceneAsync();
        var appointment = Guid.NewGuid();
        NotificationsTestApp.Deliver(fixture.App, new CancellationRequested(
            Guid.NewGuid(), s.Business.Id, appointment, s.ClientId, s.DiaryId, s.ServiceId, Start, End, ChangeSources.Portal, "Flu"));
        var staff = Assert.Single(await MailAsync(s.DiaryContact));
        Assert.Equal("Cancellation request: Ana O'Neil", staff.Subject);
        Assert.Contains("Wednesday 11 March 2026 at 10:00 AM AEDT\nReason: Flu", staff.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"https://booking.test/staff/diary/appointments/{appointment}?name={s.Business.Slug}", staff.TextBody, StringComparison.Ordinal);
        var client = Assert.Single(await MailAsync(s.ClientEmail));
        Assert.Equal($"Business {s.Business.Slug} received your cancellation request", client.Subject);
        Assert.Contains("Deep tissue massage with Dr Lee", client.TextBody, StringComparison.Ordinal);
        Assert.Empty(client.Attachments);
    }

    [Fact]
    public async Task Password_reset_request_emails_the_client_the_link()
    {
        var s = await SceneAsync();
        var url = $"https://booking.test/ol/reset?name={s.Business.Slug}&token=abc123";
        NotificationsTestApp.Deliver(fixture.App, new PasswordResetRequested(Guid.NewGuid(), s.Business.Id, s.ClientId, s.ClientEmail, "Ana", NotificationsTestApp.Protected(fixture.App, url), Start));
        var mail = Assert.Single(await MailAsync(s.ClientEmail));
        Assert.Contains(url, mail.TextBody, StringComparison.Ordinal);
        // Once: the text's own "open this link" line; the button's "Reset password: <link>" is not added under it again.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(mail.TextBody!, System.Text.RegularExpressions.Regex.Escape(url)));
        Assert.DoesNotContain("Reset password:", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Wednesday 11 March 2026 at 10:00 AM AEDT", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"" + url.Replace("&", "&amp;", StringComparison.Ordinal) + "\"", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#ffee00", "#000000")] // a light yellow: black text, as the portal puts on it
    [InlineData("#0a7d5a", "#ffffff")]
    public async Task The_email_header_and_button_text_reads_on_the_brand_colour(string colour, string text)
    {
        using var scope = fixture.App.Services.CreateScope();
        var renderer = scope.ServiceProvider.GetRequiredService<Booking.Notifications.Rendering.EmailRenderer>();
        var look = new Booking.Notifications.Rendering.BusinessLook("Paws", "paws", "Australia/Sydney", colour, null, "https://booking.test/ol/book?name=paws");
        var content = new Booking.Notifications.Rendering.MessageContent("Reset", "Choose a new password.", [],
            new Booking.Notifications.Rendering.MessageAction("Reset password", "https://booking.test/ol/reset?name=paws&token=t"));

        var html = (await renderer.RenderAsync(content, look)).Html;

        Assert.Contains($"background:{colour};padding:16px 24px;color:{text};", html, StringComparison.Ordinal);
        Assert.Contains($"background:{colour};color:{text};", html, StringComparison.Ordinal);
        Assert.True(Booking.BuildingBlocks.Web.BrandColours.Contrast(colour, text) >= 4.5);
    }

    [Fact]
    public async Task A_permanent_SMTP_refusal_fails_the_message_at_once_and_staff_see_why()
    {
        var s = await SceneAsync(clientEmail: $"reject-{Guid.NewGuid():N}@example.com");
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        var failed = await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed"),
            j => j.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "a failed message");
        var item = failed.GetProperty("items")[0];
        Assert.Equal(s.ClientEmail, item.GetProperty("to").GetString());
        Assert.Equal(1, item.GetProperty("attempts").GetInt32());
        Assert.Contains("550", item.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("failed", item.GetProperty("status").GetString());

        // Decision 336: the log's words say it will not be tried again.
        var page = System.Net.WebUtility.HtmlDecode(await s.Business.Owner.GetStringAsync(new Uri("/staff/tools/messages?status=failed", UriKind.Relative)));
        Assert.Contains("Gave up after 1 attempt: SMTP 550", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanently_failed_message_can_be_resent_by_the_owner_once_and_a_sent_one_cannot()
    {
        var s = await SceneAsync(clientEmail: $"reject-{Guid.NewGuid():N}@example.com");
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        var failed = await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed"),
            j => j.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "a failed message");
        var id = failed.GetProperty("items")[0].GetProperty("id").GetString();

        // Another business cannot touch it; a malformed id is not found either.
        var other = await fixture.App.SignUpBusinessAsync("notify");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.Owner.PostAsync(new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative), null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await s.Business.Owner.PostAsync(new Uri("/api/v1/admin/messages/nope/resend", UriKind.Relative), null)).StatusCode);

        await fixture.Smtp.FixMailboxAsync(s.ClientEmail);
        var resent = await s.Business.Owner.PostAsync(new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal("queued", (await resent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Single(await OnlyMailAsync(s.ClientEmail));
        var sent = await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages"),
            j => j.GetProperty("items").EnumerateArray().Any(m => m.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(30), "sent");
        var row = Assert.Single(sent.GetProperty("items").EnumerateArray()); // the same row: still one message for the event and recipient

        // Decision 336: the resend and its success keep what came before: the failure, when, and who resent it.
        Assert.Equal(JsonValueKind.Null, row.GetProperty("lastError").ValueKind);
        Assert.Equal(1, row.GetProperty("failures").GetInt32());
        Assert.StartsWith("SMTP 550", row.GetProperty("lastFailure").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("firstFailedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("resentAt").ValueKind);
        Assert.Equal("Olive Owner", row.GetProperty("resentBy").GetString());
        var log = System.Net.WebUtility.HtmlDecode(await s.Business.Owner.GetStringAsync(new Uri("/staff/tools/messages", UriKind.Relative)));
        Assert.Contains("Sent after it was resent (failed once before: SMTP 550", log, StringComparison.Ordinal);
        Assert.Contains("Resent by Olive Owner at ", log, StringComparison.Ordinal);

        var again = await s.Business.Owner.PostAsync(new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        Assert.EndsWith("/already-sent", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_message_can_be_resent_to_a_corrected_address_and_the_log_shows_where_it_went()
    {
        var s = await SceneAsync(clientEmail: $"reject-{Guid.NewGuid():N}@example.com");
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        var failed = await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed"),
            j => j.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "a failed message");
        var id = failed.GetProperty("items")[0].GetProperty("id").GetString();
        var uri = new Uri($"/api/v1/admin/messages/{id}/resend", UriKind.Relative);

        var bad = await s.Business.Owner.PostAsJsonAsync(uri, new { to = "not an address" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["to"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        var corrected = $"fixed-{Guid.NewGuid():N}@example.com";
        var resent = await s.Business.Owner.PostAsJsonAsync(uri, new { to = corrected });

        Assert.Equal(System.Net.HttpStatusCode.OK, resent.StatusCode);
        Assert.Equal(corrected, (await resent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("to").GetString());
        Assert.Single(await MailAsync(corrected));
        var log = await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages"),
            j => j.GetProperty("items").EnumerateArray().Any(m => m.GetProperty("status").GetString() == "sent"), TimeSpan.FromSeconds(30), "sent");
        var row = Assert.Single(log.GetProperty("items").EnumerateArray()); // the same row, now to the corrected address
        Assert.Equal(corrected, row.GetProperty("to").GetString());
        Assert.Empty(fixture.Smtp.MessagesTo(s.ClientEmail));
    }

    [Fact]
    public async Task The_messages_page_resends_a_failed_message_by_its_form()
    {
        var s = await SceneAsync(clientEmail: $"reject-{Guid.NewGuid():N}@example.com");
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed"),
            j => j.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "a failed message");

        var page = await s.Business.Owner.GetStringAsync(new Uri("/staff/tools/messages?status=failed", UriKind.Relative));
        var form = System.Text.RegularExpressions.Regex.Match(page, "<form method=\"post\" action=\"([^\"]*handler=Resend[^\"]*)\"[^>]*>.*?name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(form.Success, "no Resend form on the page");
        await fixture.Smtp.FixMailboxAsync(s.ClientEmail);
        var posted = await s.Business.Owner.PostAsync(new Uri(System.Net.WebUtility.HtmlDecode(form.Groups[1].Value), UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(form.Groups[2].Value) }));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Single(await MailAsync(s.ClientEmail));
        var after = await s.Business.Owner.GetStringAsync(posted.Headers.Location!);
        Assert.Contains("queued to be sent again", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_emails_of_one_event_share_an_SMTP_connection_and_a_refused_one_does_not_hold_up_the_rest()
    {
        var s = await SceneAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        string refused = $"reject-{tag}@example.com", boss = $"boss-{tag}@example.com";
        await fixture.App.ConfirmAddressesAsync(s.Business.Id, refused, boss);
        await s.PutSettingsAsync(new
        {
            notifyDiaryContactOnNew = new { enabled = true, templateId = (Guid?)null },
            notifyDiaryContactOnCancelled = new { enabled = false, templateId = (Guid?)null },
            extraAddressesOnNew = new { addresses = new[] { refused, boss }, templateId = (Guid?)null },
            includeStaffChanges = false,
        });

        // One event: the diary contact's, the two extra addresses' and the client's emails, written in that order and
        // sent by one job. The refusal (550) drops the connection; the two after it share a new one.
        NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
        static string Peer(MimeMessage m) => m.Headers["X-Smtp-Peer"] ?? throw new InvalidOperationException("no peer header");
        var diary = Peer(Assert.Single(await MailAsync(s.DiaryContact)));
        var afterRefusal = Peer(Assert.Single(await MailAsync(boss)));
        var client = Peer(Assert.Single(await MailAsync(s.ClientEmail)));
        Assert.Equal(afterRefusal, client);
        Assert.NotEqual(diary, afterRefusal);
        Assert.Empty(fixture.Smtp.MessagesTo(refused));
        var failed = await Eventually.ReturnsAsync(
            async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=failed"),
            j => j.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "the refused message failed");
        Assert.Equal(refused, Assert.Single(failed.GetProperty("items").EnumerateArray()).GetProperty("to").GetString());
    }

    [Fact]
    public async Task SMTP_down_for_a_while_queues_the_messages_and_all_arrive_once_it_is_back()
    {
        var scenes = new List<NotifyScene>();
        await fixture.Smtp.StopAsync();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var s = await SceneAsync();
                scenes.Add(s);
                NotificationsTestApp.Deliver(fixture.App, Booked(s, ChangeSources.Portal));
            }

            // While down: retrying (not "queued"), with the connection error and the next attempt shown.
            var queued = await Eventually.ReturnsAsync(
                async () => await scenes[0].Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=retrying"),
                j => j.GetProperty("items").GetArrayLength() > 0 && j.GetProperty("items")[0].GetProperty("attempts").GetInt32() >= 2,
                TimeSpan.FromSeconds(60), "a message retried while SMTP is down");
            var retrying = queued.GetProperty("items")[0];
            Assert.Equal("retrying", retrying.GetProperty("status").GetString());
            Assert.Contains("SMTP unavailable", retrying.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.Matches(@"\+1[01]:00\z", retrying.GetProperty("nextAttemptAt").GetString()!); // the business's offset
            await Task.Delay(2000);
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        foreach (var s in scenes)
        {
            Assert.Single(await MailAsync(s.ClientEmail));
            var sent = await Eventually.ReturnsAsync(
                async () => await s.Business.Owner.GetFromJsonAsync<JsonElement>("/api/v1/admin/messages?status=sent"),
                j => j.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10), "sent status");
            var item = sent.GetProperty("items")[0];
            Assert.True(item.GetProperty("attempts").GetInt32() >= 2);
            // Decision 336: the success keeps the failures before it.
            Assert.Equal(JsonValueKind.Null, item.GetProperty("lastError").ValueKind);
            Assert.Equal(item.GetProperty("attempts").GetInt32() - 1, item.GetProperty("failures").GetInt32());
            Assert.StartsWith("SMTP unavailable", item.GetProperty("lastFailure").GetString(), StringComparison.Ordinal);
            Assert.NotEqual(JsonValueKind.Null, item.GetProperty("lastFailedAt").ValueKind);
        }
    }
}
