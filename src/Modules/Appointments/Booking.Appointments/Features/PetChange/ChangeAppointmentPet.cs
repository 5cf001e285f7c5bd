using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.PortalAppointments;
using Booking.Appointments.Features.Scheduling;
using Booking.Appointments.Features.StaffAppointments;
using Booking.Appointments.Features.StaffDiary;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Booking.Appointments.Features.PetChange;

/// <summary>The body of <c>PUT /api/v1/admin/appointments/{id}/pet</c>: one of the appointment's client's pets on file.</summary>
public sealed record AppointmentPetBody(string? PetId);

/// <summary>Staff change which of the client's pets an appointment is for (decision 306).</summary>
public sealed record ChangeAppointmentPet(Guid Id, string? PetId) : ICommand<StaffAppointmentView>
{
    public const string ChooseMessage = "Choose one of the client's pets.";
}

public sealed class ChangeAppointmentPetValidator : AbstractValidator<ChangeAppointmentPet>
{
    public ChangeAppointmentPetValidator() =>
        RuleFor(x => x.PetId).Must(id => Guid.TryParse(id, out _)).WithMessage(ChangeAppointmentPet.ChooseMessage);
}

/// <summary>
/// Decision 306: the appointment names another of its client's pets on file (the client's own, so this business's: the
/// pets <see cref="GetClients"/> lists). Any appointment that is or was to happen (a booking request, confirmed, a
/// cancellation asked for, completed or a no-show, upcoming or past: a groomer fixing the record of which dog came is
/// the commonest case); a cancelled or declined one is 409 <c>status-conflict</c> (nothing happened to record). Nothing
/// else changes (time, diary, client, status, <c>updatedAt</c>), no event is written and nobody is told: the client
/// brings the animal they said they would, and the portal shows the pet by its id from now on. Like a staff booking, it
/// does not refuse the pet's own other appointment at that time (staff may book that too). Owners and admins (the
/// route's roles), as the other appointment edits.
/// </summary>
public sealed class ChangeAppointmentPetHandler(AppointmentsDbContext db, Schedule schedule, Names names, ISender sender, ILogger<ChangeAppointmentPetHandler> log)
    : ICommandHandler<ChangeAppointmentPet, StaffAppointmentView>
{
    public async ValueTask<StaffAppointmentView> Handle(ChangeAppointmentPet command, CancellationToken cancellationToken) =>
        await db.RetryOnConcurrentChangeAsync(() => ChangeAsync(command, cancellationToken));

    private async Task<StaffAppointmentView> ChangeAsync(ChangeAppointmentPet command, CancellationToken cancellationToken)
    {
        var a = await db.Appointments.FirstOrDefaultAsync(x => x.Id == command.Id, cancellationToken) ?? throw ProblemException.NotFound();
        if (AppointmentStatus.Released.Contains(a.Status))
        {
            throw AppointmentOutcomes.StatusConflict(
                $"This appointment is {a.Status}, so it has no pet to change. Book the pet a new appointment instead.");
        }

        var petId = Guid.Parse(command.PetId!);
        var client = (await sender.Send(new GetClients([a.ClientId]), cancellationToken)).FirstOrDefault();
        if (client is null || client.Pets.All(p => p.Id != petId))
        {
            throw ProblemException.Invalid("petId", ChangeAppointmentPet.ChooseMessage);
        }

        if (a.PetId != petId)
        {
            var before = a.PetId;
            // Status is the row's concurrency token: a cancel saved meanwhile makes this save fail and run again, refused.
            a.PetId = petId;
            await db.SaveChangesAsync(cancellationToken);
            log.LogInformation("Appointment {AppointmentId} is now for pet {PetId} (was {Before})", a.Id, petId, before);
        }

        return await StaffViews.ViewAsync(names, a, schedule, cancellationToken);
    }
}

public static class ChangeAppointmentPetEndpoint
{
    public static void MapChangeAppointmentPet(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/v1/admin/appointments/{id}/pet", async (string id, AppointmentPetBody body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ChangeAppointmentPet(PortalAppointmentsEndpoints.ParseId(id), body.PetId), ct)))
            .WithTags("Staff")
            .RequireStaff(StaffRoles.Setup)
            .WithName("ChangeAppointmentPet")
            .WithSummary("Which of the client's pets the appointment is for ({petId}, one of the client's pets on file; else `validation` on petId). Not for a cancelled or declined one (409 status-conflict). Nobody is told.")
            .Answers(404, ProblemKinds.NotFound)
            .Answers(409, ProblemKinds.ChangedMeanwhile, AppointmentOutcomes.StatusConflictKind)
            .Accepts<AppointmentPetBody>("application/json")
            .Produces<StaffAppointmentView>()
            .ProducesValidationProblem();
}
