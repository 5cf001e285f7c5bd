using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Contracts;
using Booking.PortalAuth.Sms;
using Mediator;
using NodaTime;

namespace Booking.PortalAuth.Features.AppointmentSms;

/// <summary>
/// An appointment moved to another time (decision 282): a client with no email but a mobile hears it by SMS, as the booked
/// text tells them a booking, since Notifications' "has moved" email cannot reach them. The new time in the usual words
/// (service, pet, when), then the old one. Once per event (<see cref="PhoneOnlyClientSms"/>).
/// </summary>
public sealed class AppointmentMovedSmsHandler(PhoneOnlyClientSms sms, ISender sender) : INotificationHandler<AppointmentMoved>
{
    public async ValueTask Handle(AppointmentMoved evt, CancellationToken cancellationToken) =>
        await sms.SendOnceAsync(
            evt.EventId,
            nameof(AppointmentMovedSmsHandler),
            evt.ClientId,
            new TextAbout(TextKinds.Moved, AppointmentId: evt.AppointmentId, AppointmentStart: evt.Start),
            async (business, links, ct) =>
            {
                var facts = await Booking.PortalAuth.Features.RequestDecisionSms.AppointmentTextFacts.ReadAsync(sender, business, evt.ServiceId, evt.PetId, ct);
                var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
                var was = facts.Format.LongDateTimeWithZone(Instant.FromDateTimeOffset(evt.PreviousStart).InZone(zone), DateStyle.ForCountry(business.CountryCode));
                var byClient = string.Equals(evt.Source, ChangeSources.Portal, StringComparison.Ordinal);
                return facts.Worded(evt.Start, what =>
                    (byClient ? $"Your appointment with {business.Name} has moved" : $"{business.Name} moved your appointment")
                    + (what.Length > 0 ? ": " + what : "") + $" (was {was})."
                    + (facts.Access.View ? $" Your appointments: {links.Appointments}" : ""));
            },
            cancellationToken);
}
