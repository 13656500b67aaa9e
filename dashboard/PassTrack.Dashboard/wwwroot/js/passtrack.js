// A short two-note chime for the teacher's notifications, made with Web Audio (no sound file to fetch). Browsers allow
// sound only after the user has interacted with the page; before that the chime is silently skipped.
let context;

export function chime(urgent) {
    try {
        context ??= new AudioContext();
        if (context.state === "suspended") {
            context.resume();
        }
        const notes = urgent ? [880, 660, 880] : [660, 880];
        notes.forEach((frequency, i) => {
            const start = context.currentTime + i * 0.18;
            const tone = context.createOscillator();
            const gain = context.createGain();
            tone.frequency.value = frequency;
            gain.gain.setValueAtTime(0.0001, start);
            gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
            gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.16);
            tone.connect(gain).connect(context.destination);
            tone.start(start);
            tone.stop(start + 0.17);
        });
        return true;
    } catch {
        return false;
    }
}
