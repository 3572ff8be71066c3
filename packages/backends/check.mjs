import * as tf from "@tensorflow/tfjs-core";
const { initBackend } = await import("/tmp/bk/dist/mod.js");
const info = await initBackend("wasm");
const x = tf.variable(tf.tensor([1, 2, 3]));
const { grads } = tf.variableGrads(() => tf.sum(tf.square(x)));
console.log(info.name, Array.from(await Object.values(grads)[0].data()));
