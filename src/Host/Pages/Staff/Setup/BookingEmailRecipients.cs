using Booking.Notifications.Contracts;
using Booking.Notifications.Features.Settings;
using Booking.Roster.Contracts;
using Mediator;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>
/// Setup → Client Portal's line under "Ready to take bookings?" (decision 350, review s42 #3): who is emailed when a
/// client books or cancels online, or that nobody is and why. Not a readiness check (clients can book without it), but
/// an owner who stops at "Yes, clients can book online" should know whether they will hear of a booking.
/// </summary>
/// <param name="Nobody">No address gets the booking emails now (the switches are off, or no address is confirmed).</param>
/// <param name="Text">The sentence, plain text (the page encodes it).</param>
public sealed record BookingEmailsLine(bool Nobody, string Text);

public static class BookingEmailRecipients
{
    public static async Task<BookingEmailsLine> ReadAsync(ISender sender, CancellationToken ct)
    {
        var settings = await sender.Send(new GetNotificationSettings(), ct);
        var toContacts = settings.NotifyDiaryContactOnNew?.Enabled == true || settings.NotifyDiaryContactOnCancelled?.Enabled == true;
        var diaries = (await sender.Send(new GetDiaries(null), ct)).Where(d => d.Active && d.ContactEmail.Length > 0).ToList();
        var states = toContacts && diaries.Count > 0
            ? await sender.Send(new GetAddressConfirmations(diaries.Select(d => d.ContactEmail).ToList()), ct)
            : [];
        var confirmed = new List<string>();
        var waiting = new List<string>();
        for (var i = 0; i < states.Count; i++)
        {
            var who = $"{states[i].Address} ({diaries[i].Name}'s contact)";
            if (states[i].State == AddressConfirmationStates.Confirmed)
            {
                confirmed.Add(who);
            }
            else if (states[i].State == AddressConfirmationStates.Waiting)
            {
                waiting.Add(states[i].Address);
            }
        }

        confirmed.AddRange((settings.ExtraAddressesOnNew?.AddressStates ?? []).Where(a => a.Confirmed).Select(a => $"{a.Address} (new bookings only)"));
        if (confirmed.Count > 0)
        {
            return new(false, "Booking emails go to " + string.Join(", ", confirmed) + ".");
        }

        if (!toContacts)
        {
            return new(true, "Nobody is emailed when a client books or cancels online: the emails to diary contacts are switched off.");
        }

        return waiting.Count > 0
            ? new(true, $"Nobody is emailed yet when a client books or cancels online: {string.Join(", ", waiting)} {(waiting.Count == 1 ? "has" : "have")} not confirmed the address yet (Setup → Roster can send the confirmation again).")
            : new(true, "Nobody is emailed when a client books or cancels online: no diary has a confirmed contact email.");
    }
}
