using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;

namespace Booking.PortalAuth.Features.RequestDecisionSms;

/// <summary>
/// What every appointment text reads before it is worded: the service's name, the portal's settings (what the client may
/// do there now), the business's clock and the pet the appointment is for. One reader for the decision, booked, cancelled
/// and request-received texts, so each handler keeps only what it words differently.
/// </summary>
public sealed record AppointmentTextFacts(TenantInfo Business, string? ServiceName, PortalSettingsView Settings, TimeFormat Format, string? PetName)
{
    /// <param name="serviceId">The appointment's service (null: none, the text names no service).</param>
    /// <param name="petId">The pet the appointment is for (null: none).</param>
    public static async ValueTask<AppointmentTextFacts> ReadAsync(ISender sender, TenantInfo business, Guid? serviceId, Guid? petId, CancellationToken cancellationToken)
    {
        var service = serviceId is { } id ? await sender.Send(new GetService(id), cancellationToken) : null;
        var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
        var pet = await DecisionTexts.PetNameAsync(sender, petId, cancellationToken);
        return new(business, service?.Name, settings, TimeFormat.For(business.CountryCode, settings.TimeFormat), pet);
    }

    /// <summary>What the portal lets the client do now (each level off while the portal is off).</summary>
    public PortalAccessLevels Access => Settings.AccessInEffect;

    /// <summary>
    /// <paramref name="text"/> given the appointment's "what" (<see cref="DecisionTexts.What"/>: service, pet and when),
    /// naming the pet where the text still fits (<see cref="DecisionTexts.WithPet"/>).
    /// </summary>
    public string Worded(DateTimeOffset? start, Func<string, string> text) =>
        DecisionTexts.WithPet(PetName, pet => text(DecisionTexts.What(start, Business, ServiceName, Format, pet)));
}
