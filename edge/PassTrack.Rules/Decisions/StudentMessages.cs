using System.Globalization;
using PassTrack.Contracts.Passes;

namespace PassTrack.Rules.Decisions;

/// <summary>What the student reads at the kiosk, in English and Spanish. Each text fits a 20x4 LCD.</summary>
public static class StudentMessages
{
    public static StudentMessage Render(Decision d)
    {
        var (english, spanish) = Texts(d);
        return new StudentMessage(LcdText.Fit(english), LcdText.Fit(spanish));
    }

    /// <summary>Only the student's own language: what the kiosk shows, at half the cost.</summary>
    public static IReadOnlyList<string> Render(Decision d, PassTrack.Contracts.Language language)
    {
        var (english, spanish) = Texts(d);
        return LcdText.Fit(language == PassTrack.Contracts.Language.Spanish ? spanish : english);
    }

    private static (string[] English, string[] Spanish) Texts(Decision d)
    {
        var dest = LcdText.Shorten(d.Names.Destination);
        var destEs = LcdText.Shorten(d.Names.DestinationSpanish.Length > 0 ? d.Names.DestinationSpanish : d.Names.Destination);
        var name = LcdText.Shorten(d.Names.StudentFirstName, 14);
        var minutes = Minutes(d.TimeLimit);
        var wait = Minutes(d.Wait);
        var position = (d.QueuePosition ?? 0).ToString(CultureInfo.InvariantCulture);

        return (d.Outcome, d.Reason) switch
        {
            (Outcome.Granted, ReasonCode.RoutedToDesignatedRestroom or ReasonCode.RoutedAroundClosedDestination) => Both(
                ["Pass granted", "Go to:", dest, $"{minutes} minutes"],
                ["Pase concedido", "Ve a:", destEs, $"{minutes} minutos"]),
            (Outcome.Granted, ReasonCode.SummonsAcknowledged) => Both(
                ["You are called to", dest, "Pass started", $"{minutes} minutes"],
                ["Te llaman a", destEs, "Pase iniciado", $"{minutes} minutos"]),
            (Outcome.Granted, ReasonCode.QueueClaimed) => Both(
                ["Your turn!", dest, $"{minutes} minutes"],
                ["¡Tu turno!", destEs, $"{minutes} minutos"]),
            (Outcome.Granted, _) => Both(
                ["Pass granted", dest, $"{minutes} minutes"],
                ["Pase concedido", destEs, $"{minutes} minutos"]),

            (Outcome.Queued, _) or (Outcome.Status, ReasonCode.WaitingInQueue) => Both(
                [$"{dest}:", $"you are #{position}", "in line. Wait for", "your turn."],
                [$"{destEs}:", $"eres el #{position}", "en la fila. Espera", "tu turno."]),

            (Outcome.PendingApproval, ReasonCode.DailyLimitReached or ReasonCode.WeeklyLimitReached) => Both(
                ["Pass limit reached.", "Asking your teacher", "for approval..."],
                ["Límite de pases.", "Pidiendo permiso a", "tu maestro..."]),
            (Outcome.PendingApproval, _) or (Outcome.Status, ReasonCode.WaitingForApproval) => Both(
                [dest, "Waiting for", "approval..."],
                [destEs, "Esperando", "permiso..."]),

            (Outcome.Identified, _) => Both(
                [$"Hi {name}", "Choose where", "you are going"],
                [$"Hola {name}", "Elige a dónde", "vas"]),
            (Outcome.Returned, ReasonCode.CheckedInElsewhere) => Both(
                ["Pass ended", "Checked in here"],
                ["Pase terminado", "Registrado aquí"]),
            (Outcome.Returned, _) => Both(
                ["Welcome back", $"Out {Clock(d.Wait)}"],
                ["Regreso registrado", $"Fuera {Clock(d.Wait)}"]),
            (Outcome.Arrived, ReasonCode.WrongDestination) => Both(
                ["Wrong place.", "Your pass is for", dest],
                ["Lugar equivocado.", "Tu pase es para", destEs]),
            (Outcome.Arrived, ReasonCode.AlreadyArrived) => Both(
                ["Already checked in", dest],
                ["Ya registrado", destEs]),
            (Outcome.Arrived, _) => Both(
                ["Arrival recorded", dest],
                ["Llegada registrada", destEs]),
            (Outcome.Status, ReasonCode.TardyRecorded) => Both(
                ["Tardy recorded", $"{wait} min late"],
                ["Tardanza registrada", $"{wait} min tarde"]),
            (Outcome.Status, ReasonCode.AccountedFor) => Both(
                ["You are checked in.", "Stay here and", "follow staff", "instructions."],
                ["Estás registrado.", "Quédate aquí y", "sigue las", "instrucciones."]),
            (Outcome.Accepted, ReasonCode.CardEnrolled) => Both(
                ["Card enrolled to", LcdText.Shorten(d.Names.StudentFullName)],
                ["Tarjeta asignada a", LcdText.Shorten(d.Names.StudentFullName)]),
            (Outcome.Accepted, _) => Both(["Done"], ["Listo"]),
            (Outcome.StaffIdentified, _) => Both(
                [$"Hello {LcdText.Shorten(d.Names.Staff, 14)}", "Staff actions"],
                [$"Hola {LcdText.Shorten(d.Names.Staff, 15)}", "Acciones de personal"]),
            (_, ReasonCode.CredentialInUse) => Both(
                ["Card already in use.", "Not enrolled. See", "the office."],
                ["Tarjeta ya en uso.", "No asignada. Ve a", "la oficina."]),

            (_, ReasonCode.Lockdown) => Both(
                ["LOCKDOWN", "No passes.", "Follow staff", "instructions."],
                ["CIERRE DE EMERGENCIA", "Sin pases.", "Sigue las", "instrucciones."]),
            (_, ReasonCode.FireDrill) => Both(
                ["FIRE DRILL", "No passes.", "Follow your teacher."],
                ["SIMULACRO DE", "INCENDIO. Sin pases.", "Sigue a tu maestro."]),
            (_, ReasonCode.UnknownCredential) => Both(
                ["Card not recognized.", "Please see your", "teacher."],
                ["Tarjeta no", "reconocida. Habla", "con tu maestro."]),
            (_, ReasonCode.StudentNotEnrolled) => Both(
                ["Not enrolled here.", "Please see the", "office."],
                ["No inscrito aquí.", "Ve a la oficina."]),
            (_, ReasonCode.KioskNotBound) => Both(
                ["This kiosk is not", "set up yet. Please", "see your teacher."],
                ["Este quiosco no está", "listo. Habla con tu", "maestro."]),
            (_, ReasonCode.AlreadyOut) => Both(
                ["You are already out.", "Tap at your room", "to return."],
                ["Ya estás fuera.", "Toca en tu salón", "para regresar."]),
            (_, ReasonCode.PassAlreadyWaiting) => Both(
                ["You already have a", "pass waiting."],
                ["Ya tienes un pase", "en espera."]),
            (_, ReasonCode.TestingPeriod) => Both(
                ["Testing in progress.", "No passes now."],
                ["Examen en curso.", "No hay pases ahora."]),
            (_, ReasonCode.PassesDisabled) => Both(
                ["Passes are off", "right now."],
                ["Los pases están", "desactivados ahora."]),
            (_, ReasonCode.NoSchoolToday) => Both(
                ["No school today."],
                ["Hoy no hay clases."]),
            (_, ReasonCode.OutsideClassTime) => Both(
                ["Passes only during", "class time."],
                ["Pases solo durante", "la clase."]),
            (_, ReasonCode.PeriodStartBuffer) => Both(
                ["Too early in class.", $"Try again in {wait}", "min."],
                ["Muy temprano.", $"Intenta en {wait} min."]),
            (_, ReasonCode.PeriodEndBuffer) => Both(
                ["Class ends soon.", "Please wait for the", "bell."],
                ["La clase termina", "pronto. Espera la", "campana."]),
            (_, ReasonCode.RestrictedDestination or ReasonCode.UnknownDestination or ReasonCode.UnknownRoom) => Both(
                ["Not available.", "Please see your", "teacher."],
                ["No disponible.", "Habla con tu", "maestro."]),
            (_, ReasonCode.DestinationClosed) => Both(
                [dest, "is closed. Please", "see your teacher."],
                [destEs, "está cerrado. Habla", "con tu maestro."]),
            (_, ReasonCode.Cooldown) => Both(
                ["Too soon since your", "last pass.", $"Try again in {wait}", "min."],
                ["Muy pronto desde tu", "último pase.", $"Intenta en {wait} min."]),
            (_, ReasonCode.RoomOutLimit) => Both(
                ["Too many students", "out from this room.", "Try again soon."],
                ["Demasiados alumnos", "fuera del salón.", "Intenta pronto."]),
            (_, ReasonCode.BuildingCap) => Both(
                ["The halls are full.", "Try again soon."],
                ["Pasillos llenos.", "Intenta pronto."]),
            // Deliberately the same generic words whatever the reason: the student learns nothing about the group.
            (_, ReasonCode.EncounterBlocked) => Both(
                ["You can't start a", "pass right now.", "Please see your", "teacher."],
                ["No puedes salir", "ahora mismo. Por", "favor habla con tu", "maestro."]),
            (_, ReasonCode.DestinationFull) => Both(
                [dest, "is full.", "Try again soon."],
                [destEs, "está lleno.", "Intenta pronto."]),
            (_, ReasonCode.ClaimWindowExpired) => Both(
                ["Your turn passed.", "Ask again if you", "still need to go."],
                ["Se pasó tu turno.", "Pide otro pase si", "lo necesitas."]),
            (_, ReasonCode.ApprovalTimedOut or ReasonCode.Denied or ReasonCode.ApprovalRequired) => Both(
                ["Pass not approved.", "Please see your", "teacher."],
                ["Pase no aprobado.", "Habla con tu", "maestro."]),
            _ => Both(
                ["Not allowed.", "Please see your", "teacher."],
                ["No permitido.", "Habla con tu", "maestro."]),
        };
    }

    private static (string[] English, string[] Spanish) Both(string[] english, string[] spanish) => (english, spanish);

    private static string Minutes(TimeSpan? span) =>
        span is { } s ? ((int)Math.Ceiling(s.TotalMinutes)).ToString(CultureInfo.InvariantCulture) : "0";

    private static string Clock(TimeSpan? span)
    {
        var s = span ?? TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalMinutes}:{s.Seconds:00}");
    }
}
